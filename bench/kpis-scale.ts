// KPI answer at clinic scale (issue 21): 3,000 to 100,000 people.
//   npx node bench/kpis-scale.ts build --patients N [--shard 10000] [--bulk] --schema S
//   npx node bench/kpis-scale.ts sums --schema S --facts-from F   (S's sums from a copy of F's facts)
//   npx node bench/kpis-scale.ts compare --schema S --with T        (do their sums differ?)
//   npx node bench/kpis-scale.ts read --schema S [--runs R]
//   npx node bench/kpis-scale.ts explain --schema S [--journey J]  (each statement of one answer: time, EXPLAIN ANALYZE)
// (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/throughline_kpiperf; one schema per clinic.)
//
// build: the demo clinic generated in process in shards (bench/lib/kpi-scale-build.ts), each
// resource's facts made by the reaction's own function (`factsOfResource`), stored with the
// per-bucket sums by the reaction's own store call (`replaceKpiFacts`, 1,000 resources a call as
// the reaction's batches) — or, with --bulk, the facts inserted as they are and the sums made
// after by the reaction's own SQL in one batch of every fact (`sumAllAtOnce`). Skipped: the FHIR
// rows, the outbox and the audit of the reads (the KPI answer reads none of them).
// read: a platform on that schema (reactions off, nothing to catch up; adherence measured to
// today first, timed apart: the daily catch-up), then `kpisFromFacts`
// in process and `GET /api/analytics/kpis?period=month` (12 months) over HTTP, alternating,
// `runs` each, with the CPU time of this process and of its PostgreSQL backends per answer.
import { cpus, loadavg } from 'node:os';
import { keepAdherenceTo, kpisFromFacts, parseWindow } from '../src/analytics/index.ts';
import { openPostgres } from '../src/store/sql/postgres.ts';
import { migrate, type SqlDatabase } from '../src/store/index.ts';
import { parseConfig } from '../src/kernel/config.ts';
import { silentLogger } from '../src/kernel/logger.ts';
import { startPlatform } from '../src/server/index.ts';
import { backendCpu, cpuBetween } from './lib/postgres-cpu.ts';
import { clinicFacts, insertFactsOnly, storeInBatches, sumAllAtOnce } from './lib/kpi-scale-build.ts';
import { ms, percentile } from './lib/stats.ts';

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/throughline_kpiperf';
const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const schema = option('--schema', 'kpis');
const load = () => loadavg()[0]!.toFixed(1);
const processCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function sumRows(db: SqlDatabase): Promise<string> {
  const counts = await db.query<{ facts: string; sums: string }>(
    'SELECT (SELECT count(*) FROM kpi_fact) AS facts, (SELECT count(*) FROM kpi_sum) AS sums',
  );
  return `${counts.rows[0]!.facts} fact rows, ${counts.rows[0]!.sums} sum rows`;
}

async function freshSchema(): Promise<SqlDatabase> {
  const admin = openPostgres({ connectionString: databaseUrl, maxConnections: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = openPostgres({ connectionString: databaseUrl, schema, maxConnections: 2 });
  await migrate(db);
  return db;
}

const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(0);

async function build(): Promise<void> {
  const people = Number(option('--patients', '3000'));
  const bulk = process.argv.includes('--bulk');
  const db = await freshSchema();
  let resources = 0;
  let storing = 0;
  let started = performance.now();
  for await (const shard of clinicFacts({
    people,
    shard: Number(option('--shard', '10000')),
    now: new Date(),
  })) {
    const stored = performance.now();
    await (bulk ? insertFactsOnly : storeInBatches)(db, shard.facts);
    storing += performance.now() - stored;
    resources += shard.resources;
    console.log(`${resources} resources, ${(storing / 1000).toFixed(0)} s storing so far, load ${load()}`);
  }
  const generating = (performance.now() - started - storing) / 1000;
  started = performance.now();
  if (bulk) await sumAllAtOnce(db);
  const how = bulk
    ? `facts ${(storing / 1000).toFixed(0)} s + sums at once ${seconds(started)} s`
    : `facts + sums in batches ${(storing / 1000).toFixed(0)} s`;
  await analyze(db);
  console.log(
    `| ${schema} | ${people} people (${resources} resources) | generate ${generating.toFixed(0)} s | ${how} | ${await sumRows(db)} | ${load()} |`,
  );
  await db.close();
}

async function analyze(db: SqlDatabase): Promise<void> {
  await db.query('ANALYZE kpi_fact');
  await db.query('ANALYZE kpi_sum');
}

/** This schema's facts copied from another's, and its sums made from them at once. */
async function sums(): Promise<void> {
  const from = option('--facts-from', '');
  const db = await freshSchema();
  let started = performance.now();
  await db.query(`INSERT INTO kpi_fact SELECT * FROM ${from}.kpi_fact`);
  const copying = seconds(started);
  started = performance.now();
  await sumAllAtOnce(db);
  await analyze(db);
  console.log(
    `| ${schema} | facts of ${from} (copied ${copying} s) | sums at once ${seconds(started)} s | ${await sumRows(db)} | ${load()} |`,
  );
  await db.close();
}

/** The sum rows (with members) of one schema that the other has not, both ways. */
async function compare(): Promise<void> {
  const other = option('--with', '');
  const db = openPostgres({ connectionString: databaseUrl, maxConnections: 1 });
  const rows = (
    a: string,
  ) => `SELECT kpi, period, bucket, grp, location, practitioner, channel, bin, members, in_numerator
    FROM ${a}.kpi_sum WHERE members <> 0 OR in_numerator <> 0`;
  const result = await db.query<{ only_a: string; only_b: string; same: string }>(
    `SELECT (SELECT count(*) FROM (${rows(schema)} EXCEPT ${rows(other)}) a) AS only_a,
       (SELECT count(*) FROM (${rows(other)} EXCEPT ${rows(schema)}) b) AS only_b,
       (SELECT count(*) FROM (${rows(schema)} INTERSECT ${rows(other)}) c) AS same`,
  );
  const { only_a, only_b, same } = result.rows[0]!;
  console.log(
    `${schema} vs ${other}: ${same} sum rows equal, ${only_a} only in ${schema}, ${only_b} only in ${other}`,
  );
  await db.close();
}

async function read(): Promise<void> {
  const runs = Number(option('--runs', '20'));
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', `bench_${schema}`);
  const config = parseConfig({
    ...{
      PORT: '0',
      DATA_DIR: `/tmp/kpis-scale-${schema}`,
      DATABASE_URL: url.toString(),
      LOG_LEVEL: 'silent',
    },
    ...{ ADMIN_CLIENT_ID: 'bench-admin', ADMIN_CLIENT_SECRET: 'bench-secret', BACKGROUND_WORKER: 'off' },
  });
  const platform = await startPlatform(config, { logger: silentLogger });
  try {
    const token = await clientToken(platform.url);
    const now = new Date();
    const window = parseWindow({ period: 'month' }, now);
    const inProcess = () => kpisFromFacts(platform.db, { window, now });
    const overHttp = () => kpiRequest(platform.url, token);
    const timed = { inProcess: new Timings(), overHttp: new Timings() };
    // Adherence measured to today once (the daily catch-up, or the day's first request), then timed apart.
    const catchUp = new Timings();
    await catchUp.time(platform.db, () => keepAdherenceTo(platform.db, now), true);
    console.log(`adherence catch-up to today: ${catchUp.summary()}`);
    for (let run = 0; run <= runs; run++) {
      await timed.inProcess.time(platform.db, inProcess, run > 0);
      await timed.overHttp.time(platform.db, overHttp, run > 0);
    }
    console.log(
      `| ${schema} | ${await sumRows(platform.db)} | ${timed.inProcess.summary()} | ${timed.overHttp.summary()} | ${load()} |`,
    );
  } finally {
    await platform.stop();
  }
}

/** Wall-clock and CPU time (this process, its PostgreSQL backends) of each answer. */
class Timings {
  wall: number[] = [];
  cpu: number[] = [];
  dbCpu: number[] = [];
  async time(db: SqlDatabase, answer: () => Promise<unknown>, keep: boolean): Promise<void> {
    const backendsBefore = await backendCpu(db, `bench_${schema}`);
    const cpuBefore = processCpu();
    const started = performance.now();
    await answer();
    const wall = performance.now() - started;
    const cpu = (processCpu() - cpuBefore) * 1000;
    const dbCpu = cpuBetween(backendsBefore, await backendCpu(db, `bench_${schema}`)) * 1000;
    if (!keep) return;
    this.wall.push(wall);
    this.cpu.push(cpu);
    this.dbCpu.push(dbCpu);
  }
  summary(): string {
    const mean = (values: number[]) => ms(values.reduce((sum, v) => sum + v, 0) / values.length);
    const wall = `p50 ${ms(percentile(this.wall, 50))} / p95 ${ms(percentile(this.wall, 95))} ms`;
    // Mean, not median: /proc counts CPU in 10 ms ticks, too coarse for one answer.
    return `${wall}; CPU mean node ${mean(this.cpu)} + db ${mean(this.dbCpu)} ms`;
  }
}

async function clientToken(base: string): Promise<string> {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'bench-admin',
      client_secret: 'bench-secret',
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function kpiRequest(base: string, token: string): Promise<void> {
  const response = await fetch(`${base}/api/analytics/kpis?period=month`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`kpis: ${response.status} ${await response.text()}`);
  await response.json();
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}`,
);
/**
 * Each statement of one in-process answer (12 months; `--journey` adds that filter), timed, then
 * run again under EXPLAIN (ANALYZE, BUFFERS): which one is slow, its plan and the rows it reads.
 */
async function explain(): Promise<void> {
  const db = openPostgres({ connectionString: databaseUrl, schema, maxConnections: 2 });
  const statements: { sql: string; params?: unknown[]; ms: number }[] = [];
  const recording: SqlDatabase = {
    ...{ dialect: db.dialect, transaction: db.transaction.bind(db), close: db.close.bind(db) },
    exec: db.exec.bind(db),
    async query(sql, params, options) {
      const started = performance.now();
      const result = await db.query(sql, params, options);
      statements.push({ sql, params, ms: performance.now() - started });
      return result as never;
    },
  };
  const now = new Date();
  const journey = option('--journey', '');
  const filters = journey ? { journey } : {};
  // Not recorded (EXPLAIN ANALYZE would write its sums again): adherence measured to today first.
  await keepAdherenceTo(db, now);
  await kpisFromFacts(recording, { window: parseWindow({ period: 'month' }, now), now, filters });
  for (const { sql, params, ms: took } of statements) {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    console.log(
      `--- ${took.toFixed(1)} ms, load ${load()}: ${sql.trim().slice(0, 100).replace(/\s+/g, ' ')}`,
    );
    console.log(plan.rows.map((row) => row['QUERY PLAN']).join('\n'));
  }
  await db.close();
}

const modes: Record<string, () => Promise<void>> = { build, sums, compare, read, explain };
await modes[process.argv[2] ?? 'read']!();
