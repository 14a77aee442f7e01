import { ThroughlineError } from '../../kernel/errors.ts';
import {
  insertModelVersion,
  type FhirRepository,
  type ModelSummary,
  type SqlDatabase,
} from '../../store/index.ts';
import { implausibilities } from '../engine/train/match-parameters.ts';
import type { MatchEngine } from '../service/match-engine.ts';
import { readTrainingData } from './read-training-data.ts';
import { trainWithDecisions, type DecisionTrainingOptions } from './train-with-decisions.ts';

export interface TrainModelDeps {
  /** The caller's store: the population and decisions are read through the access checkpoint. */
  repository: FhirRepository;
  db: SqlDatabase;
  /** The running engine; it switches to the new version when that version is activated. */
  engine: MatchEngine;
}

/**
 * Trains a new model version on the current patient population and staff decisions and stores
 * it. It becomes the active version only when plausible (`implausibilities` is empty: EM did
 * not lock onto households); otherwise it is kept inactive with the reasons and the service
 * goes on scoring with the version (or hand-set weights) it had.
 */
export async function trainModel(
  deps: TrainModelDeps,
  options: DecisionTrainingOptions = {},
): Promise<ModelSummary> {
  const { records, labels } = await readTrainingData(deps.repository);
  if (records.length < 2)
    throw new ThroughlineError('CONFLICT', `Too few patient records to train on (${records.length})`);
  const { parameters, trainedOn } = trainWithDecisions(records, labels, options);
  const reasons = implausibilities(parameters);
  if (parameters.trainedOn.candidatePairs === 0) reasons.push('no candidate pairs: nothing to learn m from');
  const stored = await insertModelVersion(deps.db, {
    parameters: JSON.stringify(parameters),
    trainedOn,
    refusedBecause: reasons,
    activate: reasons.length === 0,
  });
  if (stored.active) deps.engine.useParameters?.(parameters);
  return stored;
}
