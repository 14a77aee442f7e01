import type { JourneyDefinition } from '../definitions/definitions.ts';
import type { StagePeriod } from '../engine/derive-stage.ts';

export interface StageRow {
  stage: string;
  display: string;
  /** Patients who reached this stage or a later one. */
  reached: number;
  /** Patients in it now. */
  current: number;
  /** Share of those who reached this stage that went further. */
  conversion: number;
  /** Patients in it now for longer than its SLA: the ones dropping off. */
  stalled: number;
  /** Days spent in the stage (closed periods, and open ones until now). */
  daysInStage: { median: number; p90: number };
}

const DAY = 86_400_000;

/** The funnel of one journey from its episodes' stage histories. */
export function stageFunnel(journey: JourneyDefinition, histories: StagePeriod[][], now: Date): StageRow[] {
  const order = new Map(journey.stages.map((stage, index) => [stage.code, index]));
  const furthest = histories.map((history) => Math.max(-1, ...history.map((p) => order.get(p.stage) ?? -1)));
  const open = histories.map((history) => history.find((period) => !period.end));
  return journey.stages.map((stage, index) => {
    const reached = furthest.filter((value) => value >= index).length;
    const further = furthest.filter((value) => value > index).length;
    const days = histories
      .flatMap((history) => history.filter((period) => period.stage === stage.code))
      .map((period) => (Date.parse(period.end ?? now.toISOString()) - Date.parse(period.start)) / DAY);
    const current = open.filter((period) => period?.stage === stage.code);
    return {
      stage: stage.code,
      display: stage.display,
      reached,
      current: current.length,
      conversion: reached ? Math.round((further / reached) * 1000) / 1000 : 0,
      stalled: current.filter(
        (period) =>
          stage.slaDays !== undefined && (now.getTime() - Date.parse(period!.start)) / DAY > stage.slaDays,
      ).length,
      daysInStage: { median: quantile(days, 0.5), p90: quantile(days, 0.9) },
    };
  });
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
}
