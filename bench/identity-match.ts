// `Patient/$match` latency against a large generated population (issue 4: p95 ≤ 20 ms at
// 100k patients, ≤ 50 ms at 1M). Patients are generated (syllable names with a long-tailed
// frequency, 10% entered twice with a typo), written through the store's bulk import path and
// indexed with the service's own blocking keys; then $match is called over HTTP with a bearer
// token, through the access checkpoint, with probes that are typo'd copies of stored patients.
//   npx node bench/identity-match.ts [--schema NAME] [100000 [1000000]]   (BENCH_DATABASE_URL,
//   default local test). With --schema the population is kept in schema NAME after the run and a
//   later run reuses it (loading only the patients it lacks): 1M patients take minutes to load.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { createModelEngine, type MatchEngine } from '../src/identity/index.ts';
import { createRandom, type Random } from '../src/demo/random.ts';
import { ms, percentile, timeEach } from './lib/stats.ts';
import { BENCH_CLIENT, startBenchPlatform, type BenchPlatform } from './lib/bench-platform.ts';
import { parseConfig } from '../src/kernel/config.ts';
import { silentLogger } from '../src/kernel/logger.ts';
import { openPostgres } from '../src/store/sql/postgres.ts';
import { startPlatform } from '../src/server/index.ts';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 5_000;
const WRITERS = 2;
const PROBES = 500;

/** Long-tailed vocabularies: a few very common values, many rare ones (like real names). */
function vocabulary(random: Random, size: number, syllables: number): { pick(): string } {
  const parts = [
    'ka',
    'lo',
    'mi',
    'ren',
    'sa',
    'to',
    'vel',
    'an',
    'dor',
    'ie',
    'ma',
    'nu',
    'pe',
    'ros',
    'ti',
    'ul',
  ];
  const words = Array.from({ length: size }, () =>
    Array.from({ length: syllables + random.int(0, 1) }, () => random.pick(parts)).join(''),
  );
  // Half Zipf-like (size^u - 1 gives value k a share falling off as 1/k), half uniform: the
  // commonest value is about 3% of records, like the commonest surnames.
  const index = () => (random.chance(0.5) ? size ** random.next() - 1 : random.next() * size);
  return { pick: () => words[Math.floor(index())]! };
}

function generator(seed: number) {
  const random = createRandom(seed);
  const family = vocabulary(random, 40_000, 3);
  const given = vocabulary(random, 4_000, 2);
  const street = vocabulary(random, 3_000, 2);
  const city = vocabulary(random, 800, 2);
  return (index: number): Patient => {
    const [first, last] = [given.pick(), family.pick()];
    const day = random.int(0, 365 * 90);
    return {
      resourceType: 'Patient',
      id: `bench-${index}`,
      name: [{ family: capital(last), given: [capital(first)] }],
      gender: random.chance(0.5) ? 'female' : 'male',
      birthDate: new Date(Date.UTC(1930, 0, 1) + day * 86_400_000).toISOString().slice(0, 10),
      telecom: [
        { system: 'phone', value: `+1 541 ${String(random.int(2_000_000, 9_999_999))}` },
        ...(random.chance(0.6) ? [{ system: 'email' as const, value: `${first}.${last}@example.com` }] : []),
      ],
      address: [
        {
          line: [`${random.int(1, 999)} ${capital(street.pick())} Street`],
          city: capital(city.pick()),
          postalCode: String(random.int(10_000, 12_000)),
        },
      ],
    };
  };
}

function capital(word: string): string {
  return word[0]!.toUpperCase() + word.slice(1);
}

/** A second record of the same person: one letter of the family name changed. */
function typoOf(patient: Patient, random: Random, id: string): Patient {
  const family = patient.name![0]!.family!;
  const at = random.int(1, family.length - 1);
  const changed = family.slice(0, at) + (family[at] === 'e' ? 'a' : 'e') + family.slice(at + 1);
  return { ...patient, id, name: [{ ...patient.name![0]!, family: changed }] };
}

/** Batches of generated patients from index `from` on: 10% are a typo'd second entry. */
function* batchesOf(count: number, from: number): Generator<Patient[]> {
  const next = generator(from + 1);
  const random = createRandom(from + 2);
  for (let start = from; start < from + count; start += BATCH) {
    const batch: Patient[] = [];
    for (let i = start; i < Math.min(start + BATCH, from + count); i++)
      batch.push(i % 10 === 9 && batch.length > 0 ? typoOf(batch.at(-1)!, random, `bench-${i}`) : next(i));
    yield batch;
  }
}

/**
 * Writes `count` patients through the bulk import path and indexes their keys, WRITERS batches
 * at a time: one batch's rows are generated and validated while another's are inserted, so
 * both cores work (one writer left PostgreSQL or Node idle half the time).
 */
async function populate(platform: BenchPlatform, count: number, from: number): Promise<void> {
  const engine = createModelEngine();
  const writing = new Set<Promise<void>>();
  for (const batch of batchesOf(count, from)) {
    const written: Promise<void> = writeBatch(platform, engine, batch).finally(() => writing.delete(written));
    writing.add(written);
    if (writing.size >= WRITERS) await Promise.race(writing);
  }
  await Promise.all(writing);
  // The worker is stopped for the whole run: nobody consumes these events, and on a kept schema
  // the next run's worker would otherwise start matching the whole population on write.
  await platform.db.query('TRUNCATE change_event');
  await platform.repository.refreshStatistics();
  // As autovacuum would after a load: statistics, and a visibility map for index-only scans.
  await platform.db.exec('VACUUM ANALYZE identity_block_key');
  await platform.db.exec('VACUUM ANALYZE identity_block_key_count');
}

async function writeBatch(platform: BenchPlatform, engine: MatchEngine, batch: Patient[]): Promise<void> {
  await platform.repository.importResources(batch);
  const keys = batch.flatMap((patient) => engine.blockingKeys(patient).map((key) => [key, patient.id!]));
  await platform.db.query(
    `INSERT INTO identity_block_key (key, patient_id)
     SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
    [keys.map(([key]) => key), keys.map(([, id]) => id)],
  );
}

/**
 * 500 timed `$match` calls (after 50 warm-up ones); each probe is a typo'd copy of a stored
 * patient, and blocking recall is whether that very record is among the (5) results.
 */
async function measure(platform: BenchPlatform, size: number) {
  const token = await platform.token();
  const random = createRandom(99);
  const probes: { probe: Patient; source: string }[] = [];
  for (let i = 0; i < PROBES + 50; i++) {
    const stored = await platform.repository.read<Patient>('Patient', `bench-${random.int(0, size - 1)}`);
    probes.push({ probe: typoOf(stored, random, 'probe'), source: stored.id! });
  }
  let found = 0;
  const call = async (i: number) => {
    const ids = await matchOverHttp(platform.url, token, probes[i]!.probe);
    if (ids.includes(probes[i]!.source)) found++;
  };
  await timeEach(50, (i) => call(PROBES + i));
  found = 0;
  const samples = await timeEach(PROBES, call);
  return { samples, found };
}

/** The ids `Patient/$match` returns for `probe` (count 5). */
async function matchOverHttp(url: string, token: string, probe: Patient): Promise<string[]> {
  const response = await fetch(`${url}/fhir/Patient/$match`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
    body: JSON.stringify({
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: probe },
        { name: 'count', valueInteger: 5 },
      ],
    }),
  });
  const bundle = (await response.json()) as Bundle;
  if (response.status !== 200) throw new Error(JSON.stringify(bundle));
  return (bundle.entry ?? []).map((entry) => entry.resource!.id!);
}

/** A platform on a named schema that outlives the run (created if missing, never dropped). */
async function startKeptPlatform(schema: string): Promise<BenchPlatform> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`--schema: not a plain name: ${schema}`);
  const admin = openPostgres({ connectionString: databaseUrl, maxConnections: 1 });
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin.close();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'throughline-bench-'));
  const platform = await startPlatform(
    parseConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      LOG_LEVEL: 'silent',
      ADMIN_CLIENT_ID: BENCH_CLIENT.id,
      ADMIN_CLIENT_SECRET: BENCH_CLIENT.secret,
    }),
    { logger: silentLogger },
  );
  return {
    ...platform,
    token: () => tokenFor(platform.url),
    async stop() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function tokenFor(url: string): Promise<string> {
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: BENCH_CLIENT.id,
      client_secret: BENCH_CLIENT.secret,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** How many bench patients a kept schema already holds (ids run from bench-0 without gaps). */
async function patientsLoaded(platform: BenchPlatform): Promise<number> {
  const result = await platform.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM resource WHERE resource_type = 'Patient' AND id LIKE 'bench-%'`,
  );
  return Number(result.rows[0]!.n);
}

async function main() {
  const args = process.argv.slice(2);
  const schemaAt = args.indexOf('--schema');
  const schema = schemaAt >= 0 ? args.splice(schemaAt, 2)[1] : undefined;
  const sizes = args.map(Number).filter(Boolean);
  const targets = sizes.length ? sizes : [100_000];
  const platform = schema
    ? await startKeptPlatform(schema)
    : await startBenchPlatform('postgres', databaseUrl);
  // Match-on-write and the journey engine would react to every imported Patient; this run
  // measures $match alone, with the population indexed directly.
  await platform.worker.stop();
  const rows: string[] = [];
  let loaded = schema ? await patientsLoaded(platform) : 0;
  try {
    for (const size of targets) {
      if (size < loaded) throw new Error(`schema ${schema} holds ${loaded} patients, more than ${size}`);
      const started = performance.now();
      if (size > loaded) await populate(platform, size - loaded, loaded);
      loaded = size;
      const loadSeconds = (performance.now() - started) / 1000;
      const { samples, found } = await measure(platform, size);
      const line = `| ${size.toLocaleString('en')} | ${PROBES} | p50 ${ms(percentile(samples, 50))} ms, **p95 ${ms(percentile(samples, 95))} ms**, p99 ${ms(percentile(samples, 99))} ms | ${found}/${PROBES} | ${loadSeconds.toFixed(0)} s |`;
      console.log(line);
      rows.push(line);
    }
  } finally {
    await platform.stop();
  }
  console.log(`\n${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, server PostgreSQL`);
  console.log('| patients | requests | `$match` latency | probes finding their record | load |');
  console.log('| ---: | ---: | --- | ---: | ---: |');
  for (const row of rows) console.log(row);
}

await main();
