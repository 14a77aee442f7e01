import {
  readKpiFactRows,
  rederiveKpiFacts,
  type DerivedKpiFacts,
  type KeptKpiFact,
  type KpiFactRow,
  type KpiFactsOf,
  type SqlDatabase,
  type SqlExecutor,
} from '../../store/index.ts';
import { adherenceFacts, adherenceKpi, rollingPeriods } from './adherence-kpis.ts';
import { adherenceExclusionKind } from './adherence-exclusions.ts';
import { keptDispenseOf, keptExclusionOf, keptPrescriptionOf } from './adherence-from-facts.ts';
import { bucketOf, type Period } from './kpi-period.ts';
import type { Fact } from './kpi-model.ts';

/** The kept facts a patient's adherence is measured from. */
export const adherenceSourceKinds = ['chronic-prescription', 'medication-dispense', adherenceExclusionKind];
/** A patient's adherence runs are kept as this resource's facts (its id: the patient's). */
const runSource = 'adherence';
/** The day the runs are measured to (the open buckets' "today"), kept as one fact of its own. */
const asOfKind = 'adherence-as-of';
const asOfSource = { resourceType: asOfKind, id: 'all' };
const periods: Period[] = ['month', 'week'];
const always = { since: '0001-01-01T00:00:00.000Z', until: '9999-12-31T00:00:00.000Z' };

/** The day (YYYY-MM-DD) the kept runs were measured to; none before the first catch-up. */
export async function adherenceAsOf(db: SqlExecutor): Promise<string | undefined> {
  const [row] = await readKpiFactRows(db, { kinds: [asOfKind], ...always });
  return row?.at?.slice(0, 10);
}

/**
 * Whether the kept runs were measured to a day before `now`'s: a midnight passed without its
 * catch-up (no process was up then). None kept is not behind: the first KPI request measures
 * everyone, as on a new database.
 */
export async function adherenceBehind(db: SqlExecutor, now: Date): Promise<boolean> {
  const kept = await adherenceAsOf(db);
  return kept !== undefined && kept < now.toISOString().slice(0, 10);
}

/**
 * Chronic-care adherence as derived facts (`replaceKpiFacts`): when a patient's chronic
 * prescriptions, fills or exclusions change, their runs are measured again to the kept day
 * (none kept yet: nothing to do, the first request's catch-up measures everyone). `asOf` given:
 * everyone measured to that day (the daily catch-up), unless they already are.
 */
export function derivedAdherence(asOf?: string): DerivedKpiFacts {
  return {
    kinds: adherenceSourceKinds,
    of: async (tx, patients) => {
      const keptDay = await adherenceAsOf(tx);
      const day = asOf ?? keptDay;
      if (day === undefined || (patients === undefined && keptDay === day)) return [];
      const rows = await readKpiFactRows(tx, { kinds: adherenceSourceKinds, ...always, patients });
      if (patients) return adherenceRuns({ rows, patients, asOf: day });
      const kept = await keptRuns(tx);
      const runs = adherenceRuns({ rows, patients: everyoneOf(rows, kept), asOf: day });
      // Most patients' runs are the same as yesterday's: only those that changed are replaced.
      const changed = runs.filter((each) => signatureOf(each.facts) !== (kept.get(each.source.id) ?? ''));
      return [...changed, { source: asOfSource, facts: [asOfFact(day)] }];
    },
  };
}

const asOfFact = (day: string): KpiFactRow => ({
  kind: asOfKind,
  at: `${day}T00:00:00.000Z`,
  numerator: false,
});

/** Each patient's kept runs, as a signature to compare the runs measured again with. */
async function keptRuns(tx: SqlExecutor): Promise<Map<string, string>> {
  const byPatient = new Map<string, KpiFactRow[]>();
  for (const run of await readKpiFactRows(tx, { kinds: [adherenceKpi], ...always }))
    byPatient.set(run.sourceId, [...(byPatient.get(run.sourceId) ?? []), run]);
  return new Map([...byPatient].map(([patient, runs]) => [patient, signatureOf(runs)]));
}

const signatureOf = (runs: KpiFactRow[]) =>
  runs
    .map((run) => [run.link, run.group, run.at, run.until, run.numerator, run.practitioner ?? ''].join(' '))
    .sort()
    .join('\n');

/** The patients with facts to measure, and those with runs kept (whose runs may have to go). */
const everyoneOf = (rows: KeptKpiFact[], kept: Map<string, string>) => [
  ...new Set([...kept.keys(), ...rows.flatMap((row) => row.patient ?? [])]),
];

/**
 * Each patient's adherence facts, as runs: per patient–drug pair and period (month, week), one
 * fact per stretch of consecutive buckets with the same numerator and prescriber, measured as
 * `adherenceFacts` measures each bucket (the open bucket to `asOf`). Every given patient gets
 * their runs replaced (none: no pair measured).
 */
export function adherenceRuns(input: {
  rows: KeptKpiFact[];
  patients: string[];
  asOf: string;
}): KpiFactsOf[] {
  const prescriptions = input.rows.flatMap(keptPrescriptionOf);
  const dispenses = input.rows.flatMap(keptDispenseOf);
  const exclusions = input.rows.flatMap(keptExclusionOf);
  const first = dispenses.reduce((day, fill) => (fill.date < day ? fill.date : day), input.asOf);
  const now = new Date(`${input.asOf}T00:00:00Z`);
  const byPatient = new Map<string, KpiFactRow[]>(input.patients.map((patient) => [patient, []]));
  for (const period of periods) {
    const measured = rollingPeriods({ period, from: first, to: input.asOf }, now);
    const facts = adherenceFacts({ prescriptions, dispenses, exclusions, periods: measured });
    for (const run of runsOf(facts, period)) byPatient.get(run.patient!)?.push(run);
  }
  return [...byPatient].map(([id, facts]) => ({
    source: { resourceType: runSource, id },
    facts: facts.map((fact, seq) => ({ ...fact, seq })),
  }));
}

/**
 * The facts of one period merged into runs of consecutive buckets alike. `adherenceFacts` gives
 * each pair's facts together, in bucket order, so a fact extends the run before it or starts one.
 */
function runsOf(facts: Fact[], period: Period): KpiFactRow[] {
  const buckets = new Map<string, { start: string; end: string }>();
  const runs: KpiFactRow[] = [];
  let last: { key: string; run: KpiFactRow } | undefined;
  for (const fact of facts) {
    let bucket = buckets.get(fact.at!);
    if (!bucket) {
      const { start, end } = bucketOf(fact.at!, period);
      buckets.set(fact.at!, (bucket = { start: instant(start), end: instant(end) }));
    }
    const key = `${fact.patient} ${fact.group} ${fact.inNumerator} ${fact.practitioner ?? ''}`;
    if (last && last.key === key && last.run.until === bucket.start) {
      last.run.until = bucket.end;
      continue;
    }
    const { patient, inNumerator: numerator, group, practitioner } = fact;
    const run = { kind: adherenceKpi, patient, numerator, group, practitioner, link: period };
    last = { key, run: { ...run, at: bucket.start, until: bucket.end } };
    runs.push(last.run);
  }
  return runs;
}

const instant = (day: string) => `${day}T00:00:00.000Z`;

/**
 * Every patient's adherence measured to `now`'s day, unless it already is: the daily catch-up
 * (buckets close and the open ones move on with the days), and a request's first of a day, so an
 * answer reads sums only and equals the full read. False: the day was kept already.
 */
export async function keepAdherenceTo(db: SqlDatabase, now: Date): Promise<boolean> {
  const day = now.toISOString().slice(0, 10);
  if ((await adherenceAsOf(db)) === day) return false;
  await rederiveKpiFacts(db, derivedAdherence(day));
  return true;
}
