// KPI benchmark (issue 21): the demo clinic generated at N people and bulk-imported with the
// reactions off (so nothing but the import writes while timing), then
//   - before: the full read per request (`computeKpis`, what `GET /api/analytics/kpis` did
//     until the facts were kept), 12 months by month;
//   - the catch-up that builds the facts from the outbox (the backfill of a database older than
//     the facts table), and the rows it kept;
//   - after: `GET /api/analytics/kpis?period=month` (12 months) over HTTP, p50/p95, with the
//     catch-up each request makes first (nothing to do);
//   - a write (one appointment becomes a no-show) and the next answer: the catch-up handles one event.
//   npx node bench/kpis.ts [pglite|postgres] [--patients N] [--runs R]   (BENCH_DATABASE_URL as for npm run bench)
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { cpus, loadavg } from 'node:os';
import { scopeRepository } from '../src/access/index.ts';
import {
  bucketOf,
  computeKpis,
  kpiDefinitions,
  kpisFromFacts,
  parseWindow,
  type KpiWindow,
} from '../src/analytics/index.ts';
import { readKpiFigures, type SqlDatabase } from '../src/store/index.ts';
import { seedDemoClinic } from '../src/demo/index.ts';
import { analyticsService, catchUpKpiFacts } from '../src/server/analytics-service.ts';
import { ms, percentile, timeEach } from './lib/stats.ts';
import { startBenchPlatform, type BenchBackend, type BenchPlatform } from './lib/bench-platform.ts';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const people = option('--patients', 3000);
const runs = option('--runs', 10);
const load = () => loadavg()[0]!.toFixed(1);
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);

async function timeRequest(platform: BenchPlatform, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${platform.url}/api/analytics/kpis?period=month`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`kpis: ${response.status} ${await response.text()}`);
  await response.json();
  return performance.now() - started;
}

/** A fulfilled appointment of the last month becomes a no-show: one event for the facts. */
async function oneWrite(platform: BenchPlatform): Promise<void> {
  const params: [string, string][] = [
    ['status', 'fulfilled'],
    ['_count', '1'],
  ];
  const bundle: Bundle = await platform.repository.search({ resourceType: 'Appointment', params });
  const appointment = bundle.entry?.[0]?.resource as Appointment | undefined;
  if (appointment) await platform.repository.update({ ...appointment, status: 'noshow' });
}

/**
 * Paired on the same data: the previous answer (every fact of the window summed per request,
 * `readKpiFigures`, as until the sums were kept) and the answer from the kept sums
 * (`kpisFromFacts`), in process, alternating, `runs` each.
 */
async function pairedScanAndSums(db: SqlDatabase, window: KpiWindow, now: Date) {
  const kpis = kpiDefinitions();
  const scan = () =>
    readKpiFigures(db, {
      kpis: kpis.map((kpi) => kpi.id),
      medians: kpis.filter((kpi) => kpi.kind === 'median').map((kpi) => kpi.id),
      start: `${bucketOf(window.from, window.period).start}T00:00:00.000Z`,
      end: `${bucketOf(window.to, window.period).end}T00:00:00.000Z`,
      now: now.toISOString(),
      period: window.period,
    });
  const sums = () => kpisFromFacts(db, { window, now });
  const scanned: number[] = [];
  const summed: number[] = [];
  for (let run = 0; run <= runs; run++)
    for (const [times, answer] of [
      [scanned, scan],
      [summed, sums],
    ] as const) {
      const started = performance.now();
      await answer();
      if (run > 0) times.push(performance.now() - started);
    }
  const figure = (times: number[]) =>
    `p50 ${ms(percentile(times, 50))} ms, p95 ${ms(percentile(times, 95))} ms`;
  return { scan: figure(scanned), sums: figure(summed) };
}

async function run(backend: BenchBackend): Promise<string[]> {
  const platform = await startBenchPlatform(backend, databaseUrl, { backgroundWorker: false });
  const rows: string[] = [];
  const row = (what: string, size: string, result: string) =>
    rows.push(`| ${backend} | ${what} | ${size} | ${result} | ${load()} |`);
  try {
    let started = performance.now();
    const seeded = await seedDemoClinic(platform.repository, { patients: people, force: true });
    row(
      'generate + bulk import the demo clinic',
      `${people} people, ${seeded.total} resources`,
      `${seconds(started)} s`,
    );
    const now = new Date();
    const window = parseWindow({ period: 'month' }, now);
    const caller = { principal: analyticsService, context: { requestId: 'bench' }, auditDb: platform.db };
    started = performance.now();
    await computeKpis(scopeRepository(platform.repository, caller), { window, now });
    row(
      'before: full read per request (`computeKpis`, 12 months)',
      '1 request',
      `**${ms(performance.now() - started)} ms**`,
    );
    started = performance.now();
    // One catch-up gives up after 30 s: a large backfill takes several.
    let events = 0;
    for (;;) {
      const handled = await catchUpKpiFacts(platform);
      if (handled === 0) break;
      events += handled;
    }
    const facts = await platform.db.query<{ n: string; sums: string }>(
      'SELECT (SELECT count(*) FROM kpi_fact) AS n, (SELECT count(*) FROM kpi_sum) AS sums',
    );
    row(
      'catch-up: facts built from the outbox (backfill)',
      `${events} events → ${facts.rows[0]!.n} fact rows, ${facts.rows[0]!.sums} sum rows`,
      `${seconds(started)} s`,
    );
    const paired = await pairedScanAndSums(platform.db, window, now);
    row(
      "before: the window's facts summed per request (`readKpiFigures`, in process)",
      `${runs} runs`,
      paired.scan,
    );
    row('after: the kept sums (`kpisFromFacts`, in process)', `${runs} runs`, `**${paired.sums}**`);
    const token = await platform.token();
    await timeRequest(platform, token);
    const times = await timeEach(runs, () => timeRequest(platform, token));
    row(
      'after: `GET /api/analytics/kpis?period=month` (12 months)',
      `${runs} requests`,
      `p50 ${ms(percentile(times, 50))} ms, **p95 ${ms(percentile(times, 95))} ms**`,
    );
    await oneWrite(platform);
    const afterWrite = await timeRequest(platform, token);
    row('a write, then the next answer (catches up one event)', '1 request', `${ms(afterWrite)} ms`);
    return rows;
  } finally {
    await platform.stop();
  }
}

async function main(): Promise<void> {
  const chosen = process.argv
    .slice(2)
    .filter((arg) => arg === 'pglite' || arg === 'postgres') as BenchBackend[];
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}\n`,
  );
  console.log('| database | what | size | result | load (1 min) |\n| --- | --- | --- | --- | --- |');
  for (const backend of chosen.length > 0 ? chosen : (['postgres'] as BenchBackend[]))
    for (const line of await run(backend)) console.log(line);
}

await main();
