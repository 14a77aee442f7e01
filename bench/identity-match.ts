// `Patient/$match` latency against a large generated population (issue 4: p95 ≤ 20 ms at
// 100k patients, ≤ 50 ms at 1M). Patients are generated (syllable names with a long-tailed
// frequency, 10% entered twice with a typo), written through the store's bulk import path and
// indexed with the service's own blocking keys; then $match is called over HTTP with a bearer
// token, through the access checkpoint, with probes that are typo'd copies of stored patients.
//   npx node bench/identity-match.ts [100000 [1000000]]   (BENCH_DATABASE_URL, default local test)
import { cpus, totalmem } from 'node:os';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { createModelEngine } from '../src/identity/index.ts';
import { createRandom, type Random } from '../src/ingest/demo-clinic/random.ts';
import { ms, percentile, timeEach } from './lib/stats.ts';
import { startBenchPlatform, type BenchPlatform } from './lib/bench-platform.ts';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 5_000;
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

/** Writes `count` patients (10% duplicates) through the bulk import path and indexes their keys. */
async function populate(platform: BenchPlatform, count: number, from: number): Promise<void> {
  const next = generator(from + 1);
  const random = createRandom(from + 2);
  const engine = createModelEngine();
  for (let start = from; start < from + count; start += BATCH) {
    const batch: Patient[] = [];
    for (let i = start; i < Math.min(start + BATCH, from + count); i++)
      batch.push(i % 10 === 9 && batch.length > 0 ? typoOf(batch.at(-1)!, random, `bench-${i}`) : next(i));
    await platform.repository.importResources(batch);
    const keys = batch.flatMap((patient) => engine.blockingKeys(patient).map((key) => [key, patient.id!]));
    await platform.db.query(
      `INSERT INTO identity_block_key (key, patient_id)
       SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      [keys.map(([key]) => key), keys.map(([, id]) => id)],
    );
  }
  await platform.repository.refreshStatistics();
  await platform.db.query('ANALYZE identity_block_key');
}

async function measure(platform: BenchPlatform, size: number) {
  const token = await platform.token();
  const random = createRandom(99);
  const probes: Patient[] = [];
  for (let i = 0; i < PROBES + 50; i++) {
    const stored = await platform.repository.read<Patient>('Patient', `bench-${random.int(0, size - 1)}`);
    probes.push(typoOf(stored, random, 'probe'));
  }
  const found: number[] = [];
  const call = async (i: number) => {
    const response = await fetch(`${platform.url}/fhir/Patient/$match`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'resource', resource: probes[i] },
          { name: 'count', valueInteger: 5 },
        ],
      }),
    });
    const bundle = (await response.json()) as Bundle;
    if (response.status !== 200) throw new Error(JSON.stringify(bundle));
    found.push(bundle.entry?.length ?? 0);
  };
  await timeEach(50, (i) => call(PROBES + i));
  found.length = 0;
  const samples = await timeEach(PROBES, call);
  return { samples, withCandidates: found.filter((n) => n > 0).length };
}

async function main() {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  const targets = sizes.length ? sizes : [100_000];
  const platform = await startBenchPlatform('postgres', databaseUrl);
  // Match-on-write and the journey engine would react to every imported Patient; this run
  // measures $match alone, with the population indexed directly.
  await platform.worker.stop();
  const rows: string[] = [];
  let loaded = 0;
  try {
    for (const size of targets) {
      const started = performance.now();
      await populate(platform, size - loaded, loaded);
      loaded = size;
      const loadSeconds = (performance.now() - started) / 1000;
      const { samples, withCandidates } = await measure(platform, size);
      const line = `| ${size.toLocaleString('en')} | ${PROBES} | p50 ${ms(percentile(samples, 50))} ms, **p95 ${ms(percentile(samples, 95))} ms**, p99 ${ms(percentile(samples, 99))} ms | ${withCandidates}/${PROBES} | ${loadSeconds.toFixed(0)} s |`;
      console.log(line);
      rows.push(line);
    }
  } finally {
    await platform.stop();
  }
  console.log(`\n${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, server PostgreSQL`);
  console.log('| patients | requests | `$match` latency | probes with a match | load |');
  console.log('| ---: | ---: | --- | ---: | ---: |');
  for (const row of rows) console.log(row);
}

await main();
