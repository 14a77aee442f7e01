// Journey benchmark (issue 6): the Synthea dev set plus the generated demo clinic (300 people)
// on one platform; then
//   - the event-driven settle (identity + journey engine reacting to every imported write),
//   - a full recomputation of every person's stages, care gaps and pain points (the nightly
//     sweep), through the journey service's scoped, audited store,
//   - the 360 view and a timeline page over HTTP, p50/p95, across Synthea and demo patients.
//   npx node bench/journey.ts [pglite|postgres ...]   (BENCH_DATABASE_URL as for npm run bench)
import { systemClock } from '../src/kernel/clock.ts';
import { cpus } from 'node:os';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { findImportFiles, importFiles } from '../src/ingest/index.ts';
import { seedDemoClinic } from '../src/demo/index.ts';
import { loadDefaultCatalog, recomputeAll, type JourneyDeps } from '../src/journey/index.ts';
import { journeyService } from '../src/server/journey-service.ts';
import { ms, percentile, timeEach } from './lib/stats.ts';
import { startBenchPlatform, type BenchBackend, type BenchPlatform } from './lib/bench-platform.ts';
import { notRunWithout, sharedDataPath } from './lib/shared-data.ts';

const SYNTHEA = sharedDataPath('synthea/dev');
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function journeyDeps(platform: BenchPlatform): JourneyDeps {
  return journeyService({
    repository: platform.repository,
    db: platform.db,
    catalog: loadDefaultCatalog(),
    clock: systemClock,
  });
}

async function settle(platform: BenchPlatform): Promise<number> {
  const started = performance.now();
  while ((await platform.worker.drain()) > 0);
  return (performance.now() - started) / 1000;
}

async function latency(platform: BenchPlatform, backend: BenchBackend): Promise<string[]> {
  const headers = { authorization: `Bearer ${await platform.token()}` };
  const get = async (url: string) => {
    const response = await fetch(url, { headers });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  };
  const patients = (
    (await get(`${platform.url}/fhir/Patient?_count=2000&_elements=id`)) as Bundle<Patient>
  ).entry!.map((entry) => entry.resource!.id!);
  const rows: string[] = [];
  for (const [name, path] of [
    ['360 view', (id: string) => `/api/patients/${id}/360`],
    ['timeline page (50)', (id: string) => `/api/patients/${id}/timeline?limit=50`],
  ] as const) {
    for (let i = 0; i < 20; i++) await get(`${platform.url}${path(patients[i % patients.length]!)}`);
    const samples = await timeEach(300, (i) =>
      get(`${platform.url}${path(patients[(i * 7) % patients.length]!)}`),
    );
    rows.push(
      `| ${backend} | ${name}, ${patients.length} patients | 300 requests | p50 ${ms(percentile(samples, 50))} ms, **p95 ${ms(percentile(samples, 95))} ms** |`,
    );
  }
  return rows;
}

async function run(backend: BenchBackend): Promise<string[]> {
  const platform = await startBenchPlatform(backend, databaseUrl);
  try {
    const report = await importFiles(platform.repository, await findImportFiles([SYNTHEA]));
    const seeded = await seedDemoClinic(platform.repository, { patients: 300, force: true });
    const settleSeconds = await settle(platform);
    const deps = journeyDeps(platform);
    const sweep = await recomputeAll(deps);
    const rows = [
      `| ${backend} | load: Synthea dev (${report.outcomes.created} resources) + demo clinic (${seeded.total} resources, 300 people) | | |`,
      `| ${backend} | settle after load (identity + journey react to every write) | ${settleSeconds.toFixed(1)} s | |`,
      `| ${backend} | full recomputation (nightly sweep), unchanged records | ${sweep.people} people in ${sweep.seconds.toFixed(1)} s, ${sweep.writes} writes | **${Math.round(sweep.people / sweep.seconds)} people/s** |`,
    ];
    return [...rows, ...(await latency(platform, backend))];
  } finally {
    await platform.stop();
  }
}

async function main(): Promise<void> {
  if (notRunWithout('synthea/dev', { name: 'bench/journey.ts', loads: 'the Synthea dev set' })) return;
  const chosen = process.argv
    .slice(2)
    .filter((arg) => arg === 'pglite' || arg === 'postgres') as BenchBackend[];
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}\n`);
  console.log('| database | what | size | result |\n| --- | --- | --- | --- |');
  for (const backend of chosen.length > 0 ? chosen : (['postgres', 'pglite'] as BenchBackend[]))
    for (const row of await run(backend)) console.log(row);
}

await main();
