// KPI answer at clinic scale (issue 21): 3,000 to 100,000 people.
//   npx node bench/kpis-scale.ts build --patients N [--shard 10000] --schema S
//   npx node bench/kpis-scale.ts read --schema S [--runs R]
// (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/throughline_kpiperf; one schema per clinic.)
//
// build: the demo clinic generated in process, in shards of at most `--shard` people (seeds
// 1, 2, …: the generator holds a whole clinic in memory, ~90 MB per 1,000 people), each
// resource's facts made by the reaction's own function (`factsOfResource`) and stored with the
// per-bucket sums by the reaction's own store call (`replaceKpiFacts`), 1,000 resources a call
// as the reaction's batches. Skipped: the FHIR rows, the outbox and the audit of the reads (the
// KPI answer reads none of them). Each shard has its own directory (3 locations, 8
// practitioners); their ids are mapped to the first shard's by position, so the clinic keeps
// one directory as the demo clinic has.
// read: a platform on that schema (reactions off, nothing to catch up), then `kpisFromFacts`
// in process and `GET /api/analytics/kpis?period=month` (12 months) over HTTP, alternating,
// `runs` each, with the CPU time of this process and of its PostgreSQL backends per answer.
import type { Resource } from '@medplum/fhirtypes';
import { cpus, loadavg } from 'node:os';
import { factsOfResource, kpisFromFacts, parseWindow } from '../src/analytics/index.ts';
import { generateDemoClinic } from '../src/demo/index.ts';
import { openPostgres } from '../src/store/sql/postgres.ts';
import { migrate, replaceKpiFacts, type KpiFactsOf, type SqlDatabase } from '../src/store/index.ts';
import { parseConfig } from '../src/kernel/config.ts';
import { silentLogger } from '../src/kernel/logger.ts';
import { startPlatform } from '../src/server/index.ts';
import { backendCpu, cpuBetween } from './lib/postgres-cpu.ts';
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

/** The directory ids of a shard in emission order, mapped to the first shard's. */
function directoryMap(resources: Resource[], first: string[] | undefined) {
  const ids = resources
    .filter((r) => r.resourceType === 'Location' || r.resourceType === 'Practitioner')
    .map((r) => r.id!);
  const map = new Map(ids.map((id, i) => [id, first?.[i] ?? id]));
  return { ids, map };
}

/** One shard's facts, stored as the reaction stores them; the directory mapped to the first shard's. */
async function storeShard(db: SqlDatabase, resources: Resource[], map: Map<string, string>) {
  let batch: KpiFactsOf[] = [];
  let facts = 0;
  for (const resource of resources) {
    const rows = factsOfResource(resource).map((fact) => ({
      ...fact,
      ...(fact.location ? { location: map.get(fact.location) ?? fact.location } : {}),
      ...(fact.practitioner ? { practitioner: map.get(fact.practitioner) ?? fact.practitioner } : {}),
    }));
    if (rows.length === 0) continue;
    facts += rows.length;
    batch.push({ source: { resourceType: resource.resourceType, id: resource.id! }, facts: rows });
    if (batch.length === 1000) {
      await replaceKpiFacts(db, batch);
      batch = [];
    }
  }
  await replaceKpiFacts(db, batch);
  return facts;
}

async function sumRows(db: SqlDatabase): Promise<string> {
  const counts = await db.query<{ facts: string; sums: string }>(
    'SELECT (SELECT count(*) FROM kpi_fact) AS facts, (SELECT count(*) FROM kpi_sum) AS sums',
  );
  return `${counts.rows[0]!.facts} fact rows, ${counts.rows[0]!.sums} sum rows`;
}

async function build(): Promise<void> {
  const people = Number(option('--patients', '3000'));
  const shard = Number(option('--shard', '10000'));
  const admin = openPostgres({ connectionString: databaseUrl, maxConnections: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = openPostgres({ connectionString: databaseUrl, schema, maxConnections: 2 });
  await migrate(db);
  const now = new Date();
  let first: string[] | undefined;
  let generating = 0;
  let storing = 0;
  let resources = 0;
  for (let shardNo = 0; shardNo * shard < people; shardNo++) {
    let started = performance.now();
    const clinic = generateDemoClinic({
      patients: Math.min(shard, people - shardNo * shard),
      seed: shardNo + 1,
      now,
    });
    generating += performance.now() - started;
    resources += clinic.resources.length;
    const directory = directoryMap(clinic.resources, first);
    first ??= directory.ids;
    started = performance.now();
    const facts = await storeShard(db, clinic.resources, directory.map);
    storing += performance.now() - started;
    console.log(
      `shard ${shardNo + 1}: ${clinic.resources.length} resources, ${facts} facts, ${(storing / 1000).toFixed(0)} s storing so far, load ${load()}`,
    );
  }
  await db.query('ANALYZE kpi_fact');
  await db.query('ANALYZE kpi_sum');
  console.log(
    `| ${schema} | ${people} people (${resources} resources) | generate ${(generating / 1000).toFixed(0)} s | facts + sums ${(storing / 1000).toFixed(0)} s | ${await sumRows(db)} | ${load()} |`,
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
    const median = (values: number[]) => ms(percentile(values, 50));
    return `p50 ${median(this.wall)} / p95 ${ms(percentile(this.wall, 95))} ms; CPU p50 node ${median(this.cpu)} + db ${median(this.dbCpu)} ms`;
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
if (process.argv[2] === 'build') await build();
else await read();
