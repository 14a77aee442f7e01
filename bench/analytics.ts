// Analytics benchmark (issue 21): the Synthea dev set plus the generated demo clinic on one
// platform, settled (identity and journeys reacted); then
//   - a system-level FHIR Bulk Data export ($export) kicked off, polled and downloaded over HTTP:
//     resources/s from kick-off to manifest, and the process's peak RSS while it runs; then once
//     more at once (warm),
//   - the KPI answer (`GET /api/analytics/kpis`, 12 months) p50/p95.
//   npx node bench/analytics.ts [pglite|postgres ...] [--patients N]   (BENCH_DATABASE_URL as for npm run bench)
import { cpus } from 'node:os';
import { findImportFiles, importFiles } from '../src/ingest/index.ts';
import { seedDemoClinic } from '../src/demo/index.ts';
import { ms, percentile, timeEach } from './lib/stats.ts';
import { startBenchPlatform, type BenchBackend, type BenchPlatform } from './lib/bench-platform.ts';
import { backendCpu, cpuBetween } from './lib/postgres-cpu.ts';
import { notRunWithout, sharedDataPath } from './lib/shared-data.ts';

const SYNTHEA = sharedDataPath('synthea/dev');
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const at = process.argv.indexOf('--patients');
const demoPatients = at > 0 ? Number(process.argv[at + 1]) : 300;

interface Manifest {
  output: { type: string; url: string; count: number }[];
}

type Platform = BenchPlatform & { applicationName?: string };

/** CPU seconds so far of this process (the platform runs in it) and of its PostgreSQL backends. */
async function cpuMark(platform: Platform) {
  const { user, system } = process.cpuUsage();
  const backends = platform.applicationName
    ? await backendCpu(platform.db, platform.applicationName)
    : new Map<number, number>();
  return { node: (user + system) / 1e6, backends };
}

/**
 * Kick off, poll, download: seconds to the manifest, resources, bytes, peak RSS (until the
 * manifest: the export's own; and with the download, which this client holds in memory), and the
 * CPU from kick-off to manifest (on a loaded machine the wall time is mostly waiting for a core).
 */
async function exportAll(platform: Platform) {
  const auth = { authorization: `Bearer ${await platform.token()}` };
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpuBefore = await cpuMark(platform);
  const started = performance.now();
  const kick = await fetch(`${platform.url}/fhir/$export`, { headers: { ...auth, prefer: 'respond-async' } });
  if (kick.status !== 202) throw new Error(`kick-off: ${kick.status} ${await kick.text()}`);
  const status = kick.headers.get('content-location')!;
  let manifest: Manifest | undefined;
  while (!manifest) {
    const poll = await fetch(status, { headers: auth });
    if (poll.status === 200) manifest = (await poll.json()) as Manifest;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await cpuMark(platform);
  const cpu = { node: cpuAfter.node - cpuBefore.node, db: cpuBetween(cpuBefore.backends, cpuAfter.backends) };
  const exportRss = peakRss;
  let bytes = 0;
  for (const file of manifest.output)
    bytes += (await (await fetch(file.url, { headers: auth })).arrayBuffer()).byteLength;
  const downloadSeconds = (performance.now() - started) / 1000 - seconds;
  clearInterval(sampler);
  const resources = manifest.output.reduce((sum, file) => sum + file.count, 0);
  return {
    seconds,
    resources,
    bytes,
    downloadSeconds,
    peakRss,
    exportRss,
    cpu,
    types: manifest.output.length,
  };
}

async function kpiLatency(platform: BenchPlatform) {
  const headers = { authorization: `Bearer ${await platform.token()}` };
  const get = async () => {
    const response = await fetch(`${platform.url}/api/analytics/kpis?period=month`, { headers });
    if (!response.ok) throw new Error(`kpis: ${response.status}`);
    return response.json();
  };
  await get();
  return timeEach(10, () => get());
}

async function run(backend: BenchBackend): Promise<string[]> {
  const platform = await startBenchPlatform(backend, databaseUrl);
  try {
    const report = await importFiles(platform.repository, await findImportFiles([SYNTHEA]));
    const seeded = await seedDemoClinic(platform.repository, { patients: demoPatients, force: true });
    while ((await platform.worker.drain()) > 0);
    const rssBefore = process.memoryUsage().rss;
    const exported = await exportAll(platform);
    // A second export at once: the first pays for the JIT warming up on this code path.
    const again = await exportAll(platform);
    const kpis = await kpiLatency(platform);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    return [
      ...cpuRows(backend, [exported, again]),
      `| ${backend} | process RSS: before the export → peak until the manifest (the export's own) | ${mb(rssBefore)} MB → ${mb(exported.exportRss)} MB | |`,
      `| ${backend} | load: Synthea dev (${report.outcomes.created} resources) + demo clinic (${seeded.total} resources, ${demoPatients} people), settled | | |`,
      `| ${backend} | \`$export\` (system level, ${exported.types} types), kick-off → manifest | ${exported.resources} resources in ${exported.seconds.toFixed(1)} s | **${Math.round(exported.resources / exported.seconds)} resources/s** |`,
      `| ${backend} | the same again, at once (warm) | ${again.resources} resources in ${again.seconds.toFixed(1)} s | **${Math.round(again.resources / again.seconds)} resources/s** |`,
      `| ${backend} | download of every file | ${mb(exported.bytes)} MB in ${exported.downloadSeconds.toFixed(1)} s | |`,
      `| ${backend} | process RSS: before the export → peak during export and download | ${mb(rssBefore)} MB → ${mb(exported.peakRss)} MB | |`,
      `| ${backend} | \`GET /api/analytics/kpis?period=month\` (12 months) | 10 requests | p50 ${ms(percentile(kpis, 50))} ms, **p95 ${ms(percentile(kpis, 95))} ms** |`,
    ];
  } finally {
    await platform.stop();
  }
}

/** Per export: CPU from kick-off to manifest, per resource, and resources per CPU-second. */
function cpuRows(
  backend: BenchBackend,
  runs: { resources: number; cpu: { node: number; db: number } }[],
): string[] {
  return runs.map(({ resources, cpu }, at) => {
    const perResource = ((cpu.node + cpu.db) / resources) * 1e6;
    return `| ${backend} | CPU kick-off → manifest${at > 0 ? ' (warm)' : ''}: node ${cpu.node.toFixed(2)} s + PostgreSQL ${cpu.db.toFixed(2)} s | ${perResource.toFixed(1)} µs per resource | **${Math.round(1e6 / perResource)} resources per CPU-second** |`;
  });
}

async function main(): Promise<void> {
  if (notRunWithout('synthea/dev', { name: 'bench/analytics.ts', loads: 'the Synthea dev set' })) return;
  const chosen = process.argv
    .slice(2)
    .filter((arg) => arg === 'pglite' || arg === 'postgres') as BenchBackend[];
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}\n`);
  console.log('| database | what | size | result |\n| --- | --- | --- | --- |');
  for (const backend of chosen.length > 0 ? chosen : (['postgres', 'pglite'] as BenchBackend[]))
    for (const row of await run(backend)) console.log(row);
}

await main();
