// FHIR store benchmark (issue 2): import of ../shared/data/synthea/dev through the CLI path and
// as transaction bundles over HTTP from one client; then $everything and typical searches over
// HTTP, p50/p95. Runs on embedded PGlite and on server PostgreSQL.
//   npm run bench -- [pglite|postgres ...] [--import-only]   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { findImportFiles, importFiles } from '../src/ingest/index.ts';
import { resourcesDone } from '../src/ingest/import/import-report.ts';
import { ms, percentile, timeEach } from './lib/stats.ts';
import { backendCpu, cpuBetween } from './lib/postgres-cpu.ts';
import { startBenchPlatform, type BenchBackend } from './lib/bench-platform.ts';
import { notRunWithout, sharedDataPath } from './lib/shared-data.ts';

const SYNTHEA = sharedDataPath('synthea/dev');
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function importWithCli(backend: BenchBackend): Promise<string> {
  // `throughline import` runs no reactions (they catch up when the platform next starts), so
  // none run here: the figures are the import's own, not the background worker's.
  const platform = await startBenchPlatform(backend, databaseUrl, { backgroundWorker: false });
  try {
    const files = await findImportFiles([SYNTHEA]);
    const name = platform.applicationName;
    const pgBefore = name ? await backendCpu(platform.db, name) : new Map<number, number>();
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    const report = await importFiles(platform.repository, files);
    const seconds = (performance.now() - started) / 1000;
    const node = process.cpuUsage(nodeBefore);
    const total = resourcesDone(report);
    // CPU per resource holds up on a shared machine; the rate does not.
    const perResource = (coreSeconds: number) => `${((coreSeconds * 1e6) / total).toFixed(0)} µs`;
    const pg = name
      ? `, PostgreSQL ${perResource(cpuBetween(pgBefore, await backendCpu(platform.db, name)))}`
      : '';
    return `| ${backend} | import, CLI path (\`importFiles\`) | ${total} resources in ${seconds.toFixed(1)} s | **${Math.round(total / seconds)} resources/s** | CPU per resource: Node ${perResource((node.user + node.system) / 1e6)}${pg} |`;
  } finally {
    await platform.stop();
  }
}

async function importOverHttp(backend: BenchBackend): Promise<{ rows: string[]; latency: string[] }> {
  const platform = await startBenchPlatform(backend, databaseUrl);
  try {
    const token = await platform.token();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' };
    const files = readdirSync(SYNTHEA)
      .filter((file) => file.endsWith('.json'))
      .sort((a, b) => providerFirst(a) - providerFirst(b));
    let resources = 0;
    const started = performance.now();
    for (const file of files) {
      const body = readFileSync(join(SYNTHEA, file), 'utf8');
      resources += (JSON.parse(body) as Bundle).entry?.length ?? 0;
      const response = await fetch(`${platform.url}/fhir`, { method: 'POST', headers, body });
      if (!response.ok) throw new Error(`${file}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    }
    const seconds = (performance.now() - started) / 1000;
    // What `throughline import` does at its end; a server would get the same from autovacuum a
    // little later.
    await platform.repository.refreshStatistics();
    const rows = [
      `| ${backend} | import, transaction bundles over HTTP, one client | ${resources} resources in ${seconds.toFixed(1)} s | **${Math.round(resources / seconds)} resources/s** |`,
    ];
    return { rows, latency: await measureLatency(backend, platform.url, headers) };
  } finally {
    await platform.stop();
  }
}

function providerFirst(file: string): number {
  return file.startsWith('hospital') || file.startsWith('practitioner') ? 0 : 1;
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

async function measureLatency(
  backend: BenchBackend,
  base: string,
  headers: Record<string, string>,
): Promise<string[]> {
  const fhir = `${base}/fhir`;
  const patients = (
    await getJson<Bundle<Patient>>(`${fhir}/Patient?_count=1000&_elements=name`, headers)
  ).entry!.map((entry) => entry.resource!);
  const pick = (i: number) => patients[i % patients.length]!;
  const sizes: number[] = [];
  const cases: [string, (i: number) => string, number][] = [
    ['`GET Patient/{id}/$everything`', (i) => `${fhir}/Patient/${pick(i).id}/$everything`, 300],
    ['read `Patient/{id}`', (i) => `${fhir}/Patient/${pick(i).id}`, 1000],
    ['360 view `GET /api/patients/{id}/360` (issue 6)', (i) => `${base}/api/patients/${pick(i).id}/360`, 300],
    [
      'timeline page `GET /api/patients/{id}/timeline?limit=50` (issue 6)',
      (i) => `${base}/api/patients/${pick(i).id}/timeline?limit=50`,
      300,
    ],
    [
      'search `Patient?family=…`',
      (i) => `${fhir}/Patient?family=${encodeURIComponent(pick(i).name?.[0]?.family ?? 'x')}`,
      1000,
    ],
    ['search `Patient?_id=…` (token)', (i) => `${fhir}/Patient?_id=${pick(i).id}`, 1000],
    [
      "first page of a patient's Observations by date (`Observation?subject=…&_sort=-date&_count=20`)",
      (i) => `${fhir}/Observation?subject=Patient/${pick(i).id}&_sort=-date&_count=20`,
      1000,
    ],
    [
      'search `Condition?patient=…&clinical-status=active`',
      (i) => `${fhir}/Condition?patient=Patient/${pick(i).id}&clinical-status=active`,
      1000,
    ],
    [
      'search `Observation?code=http://loinc.org|4548-4&_count=20` (HbA1c, all patients)',
      () => `${fhir}/Observation?code=http://loinc.org|4548-4&_count=20`,
      500,
    ],
  ];
  const rows: string[] = [];
  for (const [name, url, times] of cases) {
    for (let i = 0; i < 20; i++) await getJson(url(i), headers); // warm-up
    const samples = await timeEach(times, async (i) => {
      const bundle = await getJson<Bundle>(url(i), headers);
      if (name.includes('$everything')) sizes.push(bundle.entry?.length ?? 0);
    });
    rows.push(
      `| ${backend} | ${name} | ${times} requests | p50 ${ms(percentile(samples, 50))} ms, **p95 ${ms(percentile(samples, 95))} ms** |`,
    );
  }
  sizes.sort((a, b) => a - b);
  rows.push(
    `| ${backend} | (\`$everything\` bundle sizes) | median ${sizes[Math.floor(sizes.length / 2)]}, max ${sizes.at(-1)} resources | |`,
  );
  return rows;
}

async function main(): Promise<void> {
  if (notRunWithout('synthea/dev', { name: 'bench/fhir-store.ts', loads: 'the Synthea dev set' })) return;
  const backends = process.argv
    .slice(2)
    .filter((arg) => arg === 'pglite' || arg === 'postgres') as BenchBackend[];
  const selected: BenchBackend[] = backends.length > 0 ? backends : ['postgres', 'pglite'];
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}\n`);
  console.log('| database | what | size | result |\n| --- | --- | --- | --- |');
  for (const backend of selected) {
    console.log(await importWithCli(backend));
    if (process.argv.includes('--import-only')) continue;
    const http = await importOverHttp(backend);
    for (const row of [...http.rows, ...http.latency]) console.log(row);
  }
}

await main();
