import { systemClock } from '../../kernel/clock.ts';
import type { Patient, Provenance, Task } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { GOLDEN_TAG, isGolden, memberIdsOf } from '../golden/golden-record.ts';
import { activityOf } from '../merge/merge-record.ts';
import { REVIEW_CODE, REVIEW_CODE_SYSTEM } from '../review/review-task.ts';

export interface IdentityKpis {
  sourceRecords: number;
  goldenRecords: number;
  /** Share of source records that are an extra record of someone who has another. */
  duplicateRate: number;
  reviewBacklog: { open: number; oldestDays: number | null };
  /** Of source records created in the last 30 days, the share already linked to a person. */
  newRecordsAutoMatched: number | null;
  /** ISO week (YYYY-Www) → counts. */
  perWeek: Record<string, { merges: number; unmerges: number }>;
}

async function count(repository: FhirRepository, type: string, params: [string, string][]): Promise<number> {
  return (
    (await repository.search({ resourceType: type, params: [...params, ['_summary', 'count']] })).total ?? 0
  );
}

async function all<T>(repository: FhirRepository, type: string, params: [string, string][]): Promise<T[]> {
  const bundle = await repository.search({ resourceType: type, params: [...params, ['_count', '1000']] });
  return (bundle.entry ?? []).map((entry) => entry.resource as T);
}

/** Identity KPIs for the practice manager, computed from the FHIR resources identity writes. */
export async function identityKpis(
  repository: FhirRepository,
  now = systemClock.now(),
): Promise<IdentityKpis> {
  // Golden records always carry links, so the linked patients are a small superset to filter.
  // (Search on `_tag` would be direct; the search engine does not index `_tag` yet.)
  const totalPatients = await count(repository, 'Patient', []);
  const withLinks = await all<Patient>(repository, 'Patient', [['link:missing', 'false']]);
  const allGoldens = withLinks.filter(isGolden);
  const goldens = allGoldens.filter((golden) => golden.active !== false);
  const sourceRecords = totalPatients - allGoldens.length;
  const linked = goldens.reduce((sum, golden) => sum + memberIdsOf(golden).length, 0);
  const open = await all<Task>(repository, 'Task', [
    ['code', `${REVIEW_CODE_SYSTEM}|${REVIEW_CODE}`],
    ['status', 'requested'],
  ]);
  const oldest = open
    .map((task) => Date.parse(task.authoredOn ?? ''))
    .filter(Number.isFinite)
    .sort((a, b) => a - b)[0];
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const recent = (await all<Patient>(repository, 'Patient', [['_lastUpdated', `ge${since}`]])).filter(
    (patient) => !patient.meta?.tag?.some((tag) => tag.code === GOLDEN_TAG.code),
  );
  const perWeek = await mergesPerWeek(repository, now);
  return {
    sourceRecords,
    goldenRecords: goldens.length,
    duplicateRate: sourceRecords > 0 ? (linked - goldens.length) / sourceRecords : 0,
    reviewBacklog: {
      open: open.length,
      oldestDays: oldest === undefined ? null : Math.floor((now.getTime() - oldest) / 86_400_000),
    },
    newRecordsAutoMatched:
      recent.length > 0
        ? recent.filter((patient) => patient.link?.some((link) => link.type === 'refer')).length /
          recent.length
        : null,
    perWeek,
  };
}

/** Merges and un-merges of the last eight weeks, by ISO week. */
async function mergesPerWeek(repository: FhirRepository, now: Date): Promise<IdentityKpis['perWeek']> {
  const provenances = await all<Provenance>(repository, 'Provenance', [
    ['recorded', `ge${new Date(now.getTime() - 56 * 86_400_000).toISOString()}`],
  ]);
  const perWeek: IdentityKpis['perWeek'] = {};
  for (const provenance of provenances) {
    const activity = activityOf(provenance);
    if (activity !== 'merge' && activity !== 'unmerge') continue;
    const week = isoWeek(new Date(provenance.recorded as string));
    perWeek[week] ??= { merges: 0, unmerges: 0 };
    perWeek[week][activity === 'merge' ? 'merges' : 'unmerges']++;
  }
  return perWeek;
}

function isoWeek(date: Date): string {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = target.getUTCDay() || 7;
  target.setUTCDate(target.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(target.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((target.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${target.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
