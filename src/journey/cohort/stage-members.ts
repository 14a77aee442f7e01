import type { EpisodeOfCare } from '@medplum/fhirtypes';
import type { JourneyDefinition } from '../definitions/definitions.ts';
import { stageHistoryOf } from '../engine/journey-resources.ts';

/** A patient in a stage now: the journey map's click-through from a funnel row. */
export interface StageMember {
  patient: string;
  /** When the patient entered the stage. */
  since: string;
  /** Longer in the stage than its SLA. */
  stalled: boolean;
}

const DAY = 86_400_000;
/** A click-through lists people to call, not a report: the longest-waiting first, bounded. */
const MAX_MEMBERS = 200;

/** The patients whose open stage period is `stage`, the longest-waiting (stalled) first. */
export function stageMembers(
  journey: JourneyDefinition,
  request: { episodes: EpisodeOfCare[]; stage: string; now: Date },
): StageMember[] {
  const sla = journey.stages.find((stage) => stage.code === request.stage)?.slaDays;
  const members = request.episodes.flatMap((episode) => {
    const open = stageHistoryOf(episode).find((period) => !period.end);
    if (open?.stage !== request.stage || !episode.patient.reference) return [];
    const days = (request.now.getTime() - Date.parse(open.start)) / DAY;
    return [
      { patient: episode.patient.reference, since: open.start, stalled: sla !== undefined && days > sla },
    ];
  });
  return members.sort((a, b) => a.since.localeCompare(b.since)).slice(0, MAX_MEMBERS);
}
