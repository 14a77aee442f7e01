import { codeWords } from '../../shared/fhir/fields.ts';

/** A journey of the catalog (`GET /api/journeys`): its stages' codes and names. */
export interface JourneyChoice {
  id: string;
  title: string;
  stages: { code: string; display: string }[];
}

/**
 * The journey whose stages group the `…-by-stage` KPIs: the server's `groupingJourney`
 * (src/analytics/kpis/journey-stages.ts). Its stage codes are looked up there first.
 */
const GROUPING_JOURNEY = 'patient-journey';

/** "diagnosis-treatment" → "Diagnosis treatment": a code no journey names still reads as words. */
const codeAsWords = (code: string) => (codeWords(code) ?? code).replace(/^./, (c) => c.toUpperCase());

/**
 * A breakdown group as a manager reads it: a stage by its name in the journey catalog
 * ("Diagnosis, treatment planning and procurement"), `none` as "No journey stage"; other
 * breakdowns (by service) already arrive in words.
 */
export function groupName(kpiId: string, group: string, journeys: JourneyChoice[] | undefined): string {
  if (!kpiId.endsWith('-by-stage')) return group;
  if (group === 'none') return 'No journey stage';
  const ordered = [...(journeys ?? [])].sort(
    (a, b) => Number(b.id === GROUPING_JOURNEY) - Number(a.id === GROUPING_JOURNEY),
  );
  for (const journey of ordered) {
    const stage = journey.stages.find((each) => each.code === group);
    if (stage) return stage.display;
  }
  return codeAsWords(group);
}
