import type { Patient } from '@medplum/fhirtypes';
import {
  blockingKeysOf,
  defaultSettings,
  scoreRecords,
  type EngineSettings,
} from '../engine/basic-engine.ts';
import { toMatchRecord, type MatchRecord } from '../engine/match-record.ts';
import { settingsFromParameters, type MatchParameters } from '../engine/train/match-parameters.ts';
import type { MatchEngine } from '../service/match-engine.ts';

/**
 * The engine the service runs: scores with a trained model version when one is active, else
 * with the hand-set weights. Blocking keys do not depend on the parameters, so switching
 * versions never invalidates the blocking-key index. Thresholds stay configuration.
 */
export function createModelEngine(
  parameters?: MatchParameters,
  thresholds: Pick<EngineSettings, 'autoLink' | 'review' | 'contradiction'> = defaultSettings,
): MatchEngine {
  let settings = parameters
    ? settingsFromParameters(parameters, thresholds)
    : { ...defaultSettings, ...thresholds };
  // `$match` compares one patient with every candidate: normalize it once, not per candidate.
  const normalized = new WeakMap<Patient, MatchRecord>();
  const recordOf = (patient: Patient) => {
    let record = normalized.get(patient);
    if (!record) normalized.set(patient, (record = toMatchRecord(patient)));
    return record;
  };
  return {
    blockingKeys: (patient: Patient) => blockingKeysOf(recordOf(patient)),
    compare: (a: Patient, b: Patient) => scoreRecords(recordOf(a), toMatchRecord(b), settings),
    useParameters(next: MatchParameters) {
      settings = settingsFromParameters(next, thresholds);
    },
  };
}
