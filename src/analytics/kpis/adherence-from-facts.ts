import { readKpiFactRows, type KeptKpiFact, type SqlExecutor } from '../../store/index.ts';
import {
  adherenceFacts,
  firstDayOf,
  type AdherencePeriod,
  type ChronicPrescription,
  type Dispense,
} from './adherence-kpis.ts';
import { dayMs, type Fact } from './kpi-model.ts';
import { adherenceExclusionKind, type AdherenceExclusion } from './adherence-exclusions.ts';
import type { KpiFilters } from './kpi-filters.ts';

/**
 * Chronic-care adherence over the given measurement periods from the kept prescriptions and
 * fills (`resource-facts.ts`): the fills of the earliest period's start to the latest one's end
 * are read, joined to their chronic prescriptions and measured per patient–drug pair, so the
 * answer is the full read's (`adherenceKpis`). With a practitioner, only the pairs whose last
 * fill was prescribed by them; with a cohort, only its records' pairs.
 */
export async function adherenceFromFacts(
  db: SqlExecutor,
  input: { periods: AdherencePeriod[]; filters?: KpiFilters; cohort?: string[] },
): Promise<Fact[]> {
  if (input.periods.length === 0) return [];
  const last = input.periods.reduce((end, period) => (period.end > end ? period.end : end), '');
  const rows = await readKpiFactRows(db, {
    kinds: ['chronic-prescription', 'medication-dispense'],
    since: `${firstDayOf(input.periods)}T00:00:00.000Z`,
    until: new Date(Date.parse(`${last}T00:00:00Z`) + dayMs).toISOString(),
  });
  // Exclusions are few (hospice, ESRD) and may have begun long before the window: all up to its end.
  const excluding = await readKpiFactRows(db, {
    kinds: [adherenceExclusionKind],
    since: '0001-01-01T00:00:00.000Z',
    until: new Date(Date.parse(`${last}T00:00:00Z`) + dayMs).toISOString(),
  });
  const facts = adherenceFacts({
    prescriptions: rows.flatMap(keptPrescriptionOf),
    dispenses: rows.flatMap(keptDispenseOf),
    exclusions: excluding.flatMap(keptExclusionOf),
    periods: input.periods,
  });
  const practitioner = input.filters?.practitioner;
  const cohort = input.cohort ? new Set(input.cohort) : undefined;
  return facts.filter(
    (fact) =>
      (practitioner === undefined || fact.practitioner === practitioner) &&
      (cohort === undefined || (fact.patient !== undefined && cohort.has(fact.patient))),
  );
}

export function keptPrescriptionOf(row: KeptKpiFact): ChronicPrescription[] {
  if (row.kind !== 'chronic-prescription' || !row.patient || !row.group) return [];
  const { sourceId: id, patient, group: drug, practitioner } = row;
  return [{ id, patient, drug, ...(practitioner ? { practitioner } : {}) }];
}

export function keptDispenseOf(row: KeptKpiFact): Dispense[] {
  if (row.kind !== 'medication-dispense' || !row.patient || !row.group || !row.at || !row.link) return [];
  const { patient, group: drug, link: prescription, days } = row;
  return [{ patient, drug, prescription, date: row.at.slice(0, 10), daysSupply: days ?? 0 }];
}

export function keptExclusionOf(row: KeptKpiFact): AdherenceExclusion[] {
  if (row.kind !== adherenceExclusionKind || !row.patient || !row.at) return [];
  const start = row.at.slice(0, 10);
  if (row.days === undefined) return [{ patient: row.patient, start }];
  const end = new Date(Date.parse(row.at) + (row.days - 1) * dayMs).toISOString().slice(0, 10);
  return [{ patient: row.patient, start, end }];
}
