import { ThroughlineError } from '../../kernel/errors.ts';
import type { KpiFacts } from './compute-kpis.ts';
import type { KpiDefinition, KpiDimension, PersonDimension } from './kpi-model.ts';

/**
 * `location`, `practitioner` (ids, or `Location/…` / `Practitioner/…`), `channel`; `journey` (a
 * journey id) and `stage` (a stage code of that journey); `cohort` (a Group id, or `Group/…`).
 */
export type KpiFilters = Partial<Record<KpiDimension | PersonDimension | 'stage', string>>;

const channels = ['sms', 'email', 'whatsapp', 'voice', 'other'];
const referenceOf: Record<'location' | 'practitioner' | 'cohort', string> = {
  location: 'Location',
  practitioner: 'Practitioner',
  cohort: 'Group',
};
const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;
/** Journey ids and stage codes as src/journey/definitions names them. */
const codePattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

const invalid = (expression: string, message: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression });

/** The filters of a KPI request; a bad value is a 400 naming the parameter. */
export function parseKpiFilters(query: Record<string, string | undefined>): KpiFilters {
  const filters: KpiFilters = {};
  for (const [dimension, type] of Object.entries(referenceOf) as [keyof typeof referenceOf, string][]) {
    const value = query[dimension];
    if (value === undefined || value === '') continue;
    const id = value.startsWith(`${type}/`) ? value.slice(type.length + 1) : value;
    if (!idPattern.test(id)) throw invalid(dimension, `${dimension} must be a ${type} id`);
    filters[dimension] = id;
  }
  const channel = query.channel;
  if (channel !== undefined && channel !== '') {
    if (!channels.includes(channel))
      throw invalid('channel', `channel must be one of ${channels.join(', ')}`);
    filters.channel = channel;
  }
  return { ...filters, ...parseStageFilter(query) };
}

/** `journey`, and `stage` within it (a stage alone is ambiguous: codes repeat across journeys). */
function parseStageFilter(query: Record<string, string | undefined>): KpiFilters {
  const { journey, stage } = query;
  const given = (value: string | undefined): value is string => value !== undefined && value !== '';
  if (given(stage) && !given(journey)) throw invalid('stage', 'stage needs the journey it belongs to');
  if (!given(journey)) return {};
  if (!codePattern.test(journey)) throw invalid('journey', 'journey must be a journey id');
  if (given(stage) && !codePattern.test(stage)) throw invalid('stage', 'stage must be a stage code');
  return given(stage) ? { journey, stage } : { journey };
}

/** The dimensions a KPI can be filtered by. */
const dimensionsOf = (kpi: KpiDefinition): string[] => [
  ...(kpi.dimensions ?? []),
  ...(kpi.personDimensions ?? ['journey', 'cohort']),
];

/** The KPIs every given filter applies to (all of them when there is none). */
export function applicableKpis(definitions: KpiDefinition[], filters: KpiFilters): KpiDefinition[] {
  // A stage narrows the journey filter: it applies where the journey does.
  const wanted = Object.keys(filters).filter((name) => name !== 'stage');
  return definitions.filter((kpi) => wanted.every((dimension) => dimensionsOf(kpi).includes(dimension)));
}

/** The filters as they are carried on in drill-down links. */
export const filterLinks = (filters: KpiFilters) =>
  Object.entries(filters)
    .map(([name, value]) => `&${name}=${encodeURIComponent(value)}`)
    .join('');

/** The stage filter as a predicate on a fact's stages (`journey/stage`). */
const inStage = (filters: KpiFilters) => (stages: string[] | undefined) =>
  (stages ?? []).some((each) =>
    filters.stage === undefined
      ? each.startsWith(`${filters.journey}/`)
      : each === `${filters.journey}/${filters.stage}`,
  );

/**
 * The KPIs a filter applies to, over the facts that match it (a cohort: the facts of its
 * records, `patients`). A KPI none of whose facts can carry a filtered dimension (clean data by
 * channel) is left out, not shown unfiltered.
 */
export function filterKpiFacts(collected: KpiFacts, filters: KpiFilters, patients?: string[]): KpiFacts {
  const { journey, stage, cohort, ...values } = filters;
  const wanted = Object.entries(values) as [KpiDimension, string][];
  if (Object.keys(filters).length === 0) return collected;
  const definitions = applicableKpis(collected.definitions, filters);
  const ids = new Set(definitions.map((kpi) => kpi.id));
  const members = cohort === undefined ? undefined : new Set(patients ?? []);
  const staged = inStage({ journey, stage });
  const facts = collected.facts.filter(
    (fact) =>
      ids.has(fact.kpi) &&
      wanted.every(([dimension, value]) => fact[dimension] === value) &&
      (journey === undefined || staged(fact.stages)) &&
      (members === undefined || (fact.patient !== undefined && members.has(fact.patient))),
  );
  return { definitions, facts };
}
