import { ThroughlineError } from '../../kernel/errors.ts';
import type { KpiFacts } from './compute-kpis.ts';
import type { KpiDefinition, KpiDimension } from './kpi-model.ts';

/** `location`, `practitioner` (ids, or `Location/…` / `Practitioner/…`) and `channel`. */
export type KpiFilters = Partial<Record<KpiDimension, string>>;

const channels = ['sms', 'email', 'whatsapp', 'voice', 'other'];
const referenceOf: Record<Exclude<KpiDimension, 'channel'>, string> = {
  location: 'Location',
  practitioner: 'Practitioner',
};
const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** The filters of a KPI request; a bad value is a 400 naming the parameter. */
export function parseKpiFilters(query: Record<string, string | undefined>): KpiFilters {
  const filters: KpiFilters = {};
  for (const [dimension, type] of Object.entries(referenceOf) as [keyof typeof referenceOf, string][]) {
    const value = query[dimension];
    if (value === undefined || value === '') continue;
    const id = value.startsWith(`${type}/`) ? value.slice(type.length + 1) : value;
    if (!idPattern.test(id))
      throw new ThroughlineError('INVALID_REQUEST', `${dimension} must be a ${type} id`, {
        expression: dimension,
      });
    filters[dimension] = id;
  }
  const channel = query.channel;
  if (channel !== undefined && channel !== '') {
    if (!channels.includes(channel))
      throw new ThroughlineError('INVALID_REQUEST', `channel must be one of ${channels.join(', ')}`, {
        expression: 'channel',
      });
    filters.channel = channel;
  }
  return filters;
}

/** The KPIs every given filter applies to (all of them when there is none). */
export function applicableKpis(definitions: KpiDefinition[], filters: KpiFilters): KpiDefinition[] {
  const wanted = Object.keys(filters) as KpiDimension[];
  return definitions.filter((kpi) => wanted.every((dimension) => kpi.dimensions?.includes(dimension)));
}

/** The filters as they are carried on in drill-down links. */
export const filterLinks = (filters: KpiFilters) =>
  Object.entries(filters)
    .map(([name, value]) => `&${name}=${encodeURIComponent(value)}`)
    .join('');

/**
 * The KPIs a filter applies to, over the facts that match it. A KPI none of whose facts can
 * carry a filtered dimension (clean data by channel) is left out, not shown unfiltered.
 */
export function filterKpiFacts(collected: KpiFacts, filters: KpiFilters): KpiFacts {
  const wanted = Object.entries(filters) as [KpiDimension, string][];
  if (wanted.length === 0) return collected;
  const definitions = applicableKpis(collected.definitions, filters);
  const ids = new Set(definitions.map((kpi) => kpi.id));
  const facts = collected.facts.filter(
    (fact) => ids.has(fact.kpi) && wanted.every(([dimension, value]) => fact[dimension] === value),
  );
  return { definitions, facts };
}
