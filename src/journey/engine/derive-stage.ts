import type { JourneyDefinition, StageDefinition } from '../definitions/definitions.ts';
import { datesOf, isTrue } from './fhirpath.ts';
import { variablesWith, type RecordContext } from './record-context.ts';

/** One period in a stage; the last one is open (no `end`) while the patient is in it. */
export interface StagePeriod {
  stage: string;
  display: string;
  start: string;
  end?: string;
}

const DAY = 86_400_000;

/**
 * Where the patient is in a journey, from their record alone (never typed by hand): the
 * furthest stage whose entry holds and whose exit does not. `undefined` when the journey does
 * not apply to them.
 */
export function deriveStage(journey: JourneyDefinition, context: RecordContext): StageDefinition | undefined {
  const variables = variablesWith(context, journey.dates);
  if (journey.appliesTo && !isTrue(journey.appliesTo, context.input, variables)) return undefined;
  let current = journey.stages[0];
  for (const stage of journey.stages) {
    if (!isTrue(stage.entry, context.input, variables)) continue;
    if (stage.exit && isTrue(stage.exit, context.input, variables)) continue;
    current = stage;
  }
  return current;
}

/** A stage that `deriveStage` found, with the journey it belongs to. */
export interface DerivedStage {
  journey: JourneyDefinition;
  stage: StageDefinition;
}

/**
 * The stage history after this derivation: unchanged while the stage is the same; otherwise
 * the open period closes and a new one opens when the record says the patient got there (the
 * latest event the stage's `since` names), or now when the record does not say.
 */
export function advanceHistory(
  derived: DerivedStage,
  history: StagePeriod[],
  context: RecordContext,
): StagePeriod[] {
  const { stage } = derived;
  const open = history.at(-1);
  if (open && !open.end && open.stage === stage.code) return history;
  const start = enteredAt(derived, context, open?.start);
  const closed = open && !open.end ? [...history.slice(0, -1), { ...open, end: start }] : history;
  return [...closed, { stage: stage.code, display: stage.display, start }];
}

function enteredAt(
  { journey, stage }: DerivedStage,
  context: RecordContext,
  previousStart: string | undefined,
): string {
  const now = context.now.toISOString();
  const dates = stage.since
    ? datesOf(stage.since, context.input, variablesWith(context, journey.dates)).filter((date) => date <= now)
    : [];
  const latest = dates.sort().at(-1);
  if (latest && (!previousStart || latest >= previousStart)) return latest;
  return now;
}

export function daysSince(start: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(start)) / DAY));
}
