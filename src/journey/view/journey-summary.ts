import type { EpisodeOfCare, Flag, Resource } from '@medplum/fhirtypes';
import { daysSince } from '../engine/derive-stage.ts';
import type { StageSummary } from '../engine/plan-episodes.ts';
import { JOURNEY_SYSTEM, SIGNAL_SYSTEM } from '../engine/journey-codes.ts';
import { isJourneyArtifact, stageHistoryOf } from '../engine/journey-resources.ts';

/** Where a person is in one journey, as the 360 view shows it (the stored episode it reads). */
export interface JourneyStageView extends Pick<
  StageSummary,
  'journey' | 'title' | 'stage' | 'display' | 'since' | 'daysInStage' | 'history'
> {
  reference: string;
}

export interface PainPointView {
  rule: string;
  text: string;
  since?: string;
  reference: string;
}

/** The journey part of the 360° view, read from what the engine recorded (episodes and Flags). */
export function journeySummary(
  resources: Resource[],
  now: Date,
): { stages: JourneyStageView[]; painPoints: PainPointView[] } {
  const own = resources.filter(isJourneyArtifact);
  const stages = own
    .filter((r): r is EpisodeOfCare => r.resourceType === 'EpisodeOfCare' && r.status === 'active')
    .map((episode) => {
      const history = stageHistoryOf(episode);
      const open = history.find((period) => !period.end) ?? history.at(-1);
      const journey = episode.type?.[0]?.coding?.find((coding) => coding.system === JOURNEY_SYSTEM);
      return {
        journey: journey?.code ?? '',
        title: journey?.display ?? '',
        stage: open?.stage ?? '',
        display: open?.display ?? '',
        since: open?.start ?? '',
        daysInStage: open ? daysSince(open.start, now) : 0,
        history,
        reference: `EpisodeOfCare/${episode.id}`,
      };
    });
  const painPoints = own
    .filter((r): r is Flag => r.resourceType === 'Flag' && r.status === 'active')
    .map((flag) => ({
      rule: flag.code.coding?.find((coding) => coding.system === SIGNAL_SYSTEM)?.code ?? '',
      text: flag.code.text ?? '',
      since: flag.period?.start,
      reference: `Flag/${flag.id}`,
    }));
  return { stages, painPoints };
}
