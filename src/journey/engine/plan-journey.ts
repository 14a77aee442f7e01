import type { Resource } from '@medplum/fhirtypes';
import type { JourneyCatalog } from '../definitions/definitions.ts';
import { findOpenSignals, type OpenSignal } from './find-signals.ts';
import { identifierValue, isJourneyArtifact } from './journey-resources.ts';
import { retireForeign } from './retire-foreign.ts';
import { episodeContextOf, planEpisodes, type StageSummary } from './plan-episodes.ts';
import { planSignalWrites } from './plan-signals.ts';
import { planReferralLoops } from '../referrals/referral-loop-task.ts';
import { createRecordContext, isDeceased } from './record-context.ts';

export interface JourneyPlan {
  stages: StageSummary[];
  signals: OpenSignal[];
  /** Resources to write: with an `id` an update of a stored one, without one a new one. */
  writes: Resource[];
}

/** One person's whole record, as of a moment. */
export interface PersonRecord {
  personId: string;
  resources: Resource[];
  now: Date;
}

/**
 * Everything the journey engine concludes about one person, from their record alone (pure:
 * no I/O, so a recomputation can be tested and benchmarked without a database). `resources`
 * is the whole record, including what the engine wrote before (episodes, Tasks, Flags), which
 * is reconciled but not reasoned over.
 */
export function planJourney(catalog: JourneyCatalog, person: PersonRecord): JourneyPlan {
  const { personId, resources, now } = person;
  const artifacts = resources.filter(isJourneyArtifact);
  const own = artifacts.filter((resource) => identifierValue(resource)?.startsWith(`${personId}/`));
  const foreign = artifacts.filter((resource) => !own.includes(resource));
  const record = resources.filter((resource) => !isJourneyArtifact(resource));
  const context = createRecordContext(record, now);
  const episodes = planEpisodes({
    journeys: catalog.journeys,
    context,
    own,
    person: episodeContextOf(personId, record),
  });
  // The first journey is the main one: its stage and SLA feed the "long wait" pain point.
  const main = episodes.stages.find((stage) => stage.journey === catalog.journeys[0]?.id);
  const signals = isDeceased(record)
    ? []
    : findOpenSignals(catalog.signals, context, {
        '%daysInStage': { type: 'integer', value: main?.daysInStage ?? 0 },
        '%stageSlaDays': { type: 'integer', value: main?.slaDays ?? Number.MAX_SAFE_INTEGER },
      });
  return {
    stages: episodes.stages,
    signals,
    writes: [
      ...episodes.writes,
      ...planSignalWrites({ personId, signals, own, now }),
      ...(catalog.referralLoop
        ? planReferralLoops({ definition: catalog.referralLoop, personId, record, own })
        : []),
      ...retireForeign(foreign, now),
    ],
  };
}
