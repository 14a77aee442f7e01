// Interactive work while the reactions catch up (issue 15): the 100 Synthea dev bundles are
// imported over HTTP by one client; then the reactions (identity, journey: the platform's own
// `startReactions`) start on the ~28k events of the import and, while they catch up, another
// client issues reads, searches and `$everything`; then the same requests on the idle platform. Prints p95 idle vs under catch-up
// per request kind (target ≤ 2×) and how long the reactions took to catch up. No manual
// ANALYZE is run: the idle figures are the searches "after an HTTP import without ANALYZE".
//   npx node bench/embedded-responsiveness.ts [pglite|postgres ...] [--bundles N]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { ms, percentile } from './lib/stats.ts';
import { startBenchPlatform, type BenchBackend, type BenchPlatform } from './lib/bench-platform.ts';
import { loadModelEngine } from '../src/identity/index.ts';
import { systemClock } from '../src/kernel/clock.ts';
import { startReactions, type Reactions } from '../src/server/start-reactions.ts';
import { reactionsBehind, waitForCatchUp } from './lib/reactions-lag.ts';
import { notRunWithout, sharedDataPath } from './lib/shared-data.ts';

const SYNTHEA = sharedDataPath('synthea/dev');
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { bundles: { type: 'string' } },
});
/** Samples per request kind and phase at most (the catch-up phase ends sooner if the reactions do). */
const MAX_SAMPLES = 100;

type Headers = Record<string, string>;
interface Kind {
  name: string;
  url(patient: Patient): string;
}

function requestKinds(fhir: string): Kind[] {
  return [
    { name: 'read `Patient/{id}`', url: (p) => `${fhir}/Patient/${p.id}` },
    {
      name: 'search `Patient?family=…`',
      url: (p) => `${fhir}/Patient?family=${encodeURIComponent(p.name?.[0]?.family ?? 'x')}`,
    },
    {
      name: 'search `Observation?subject=…&_sort=-date&_count=20`',
      url: (p) => `${fhir}/Observation?subject=Patient/${p.id}&_sort=-date&_count=20`,
    },
    { name: '`Patient/{id}/$everything`', url: (p) => `${fhir}/Patient/${p.id}/$everything` },
  ];
}

async function importBundles(platform: BenchPlatform, headers: Headers): Promise<string> {
  const providers = (file: string) => (/^(hospital|practitioner)/.test(file) ? 0 : 1);
  const files = readdirSync(SYNTHEA)
    .filter((file) => file.endsWith('.json'))
    .sort((a, b) => providers(a) - providers(b))
    .slice(0, values.bundles ? Number(values.bundles) + 2 : undefined);
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
  return `${files.length} bundles, ${resources} resources over HTTP in ${seconds.toFixed(1)} s (${Math.round(resources / seconds)}/s)`;
}

/** One request of each kind per round, for another patient each round, timed from the client. */
async function sampleRound(kinds: Kind[], patient: Patient, headers: Headers, samples: number[][]) {
  for (const [k, kind] of kinds.entries()) {
    const started = performance.now();
    const response = await fetch(kind.url(patient), { headers });
    if (!response.ok) throw new Error(`${kind.url(patient)}: ${response.status}`);
    await response.arrayBuffer();
    samples[k]!.push(performance.now() - started);
  }
}

/** Rounds of requests until the reactions have caught up (or MAX_SAMPLES rounds), then waits. */
async function underCatchUp(platform: BenchPlatform, context: SampleContext) {
  const samples: number[][] = context.kinds.map(() => []);
  const started = performance.now();
  let lastCheck = 0;
  for (let round = 0; round < MAX_SAMPLES; round++) {
    await sampleRound(
      context.kinds,
      context.patients[round % context.patients.length]!,
      context.headers,
      samples,
    );
    if (performance.now() - lastCheck < 1000) continue;
    lastCheck = performance.now();
    if ((await reactionsBehind(platform.db)).every((row) => row.events === 0)) break;
  }
  const rest = await waitForCatchUp(platform.db, Number(process.env.BENCH_CATCH_UP_SECONDS ?? 600));
  return { samples, seconds: (performance.now() - started) / 1000, behind: rest.behind };
}

interface SampleContext {
  kinds: Kind[];
  patients: Patient[];
  headers: Headers;
}

async function idle(context: SampleContext, rounds: number): Promise<number[][]> {
  const samples: number[][] = context.kinds.map(() => []);
  for (let round = 0; round < rounds; round++)
    await sampleRound(
      context.kinds,
      context.patients[round % context.patients.length]!,
      context.headers,
      samples,
    );
  return samples;
}

/** The reactions of `throughline start`, started on the platform after the import. */
async function startReactionsOn(platform: BenchPlatform): Promise<Reactions> {
  const engine = await loadModelEngine(platform.db, () => undefined);
  const { db, repository, logger } = platform;
  return startReactions({ db, repository, engine, logger, clock: systemClock, config: platform.config });
}

async function run(backend: BenchBackend): Promise<void> {
  const platform = await startBenchPlatform(backend, databaseUrl, { backgroundWorker: false });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let reactions: Reactions | undefined;
  try {
    const headers = {
      authorization: `Bearer ${await platform.token()}`,
      'content-type': 'application/fhir+json',
    };
    console.log(`${backend}: ${await importBundles(platform, headers)}`);
    const bundle = await (
      await fetch(`${platform.url}/fhir/Patient?_count=1000&_elements=name`, { headers })
    ).json();
    const patients = ((bundle as Bundle<Patient>).entry ?? []).map((entry) => entry.resource!);
    const context = { kinds: requestKinds(`${platform.url}/fhir`), patients, headers };
    reactions = await startReactionsOn(platform);
    loop.enable();
    const busy = await underCatchUp(platform, context);
    loop.disable();
    const rounds = Math.max(30, busy.samples[0]!.length);
    const quiet = await idle(context, rounds);
    printTable(backend, { context, busy: busy.samples, quiet });
    const caught = busy.behind
      ? `still behind after ${busy.seconds.toFixed(1)} s: ${busy.behind}`
      : `caught up ${busy.seconds.toFixed(1)} s after the import`;
    console.log(
      `\n${backend}: reactions ${caught}; event-loop delay while catching up p99 ${ms(loop.percentile(99) / 1e6)} ms, max ${ms(loop.max / 1e6)} ms\n`,
    );
  } finally {
    await reactions?.stop();
    await platform.stop();
  }
}

function printTable(
  backend: BenchBackend,
  run: { context: SampleContext; busy: number[][]; quiet: number[][] },
) {
  console.log(
    '\n| database | request | idle p50 / p95 | under catch-up p50 / p95 (n) | p95 ratio (target ≤ 2×) |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const [k, kind] of run.context.kinds.entries()) {
    const quiet = run.quiet[k]!;
    const busy = run.busy[k]!;
    const ratio = percentile(busy, 95) / percentile(quiet, 95);
    console.log(
      `| ${backend} | ${kind.name} | ${ms(percentile(quiet, 50))} / **${ms(percentile(quiet, 95))} ms** | ${ms(percentile(busy, 50))} / **${ms(percentile(busy, 95))} ms** (${busy.length}) | ${ratio.toFixed(1)}× ${ratio <= 2 ? '✓' : '✗'} |`,
    );
  }
}

if (
  !notRunWithout('synthea/dev', { name: 'bench/embedded-responsiveness.ts', loads: 'the Synthea dev set' })
) {
  const selected = positionals.filter((arg): arg is BenchBackend => arg === 'pglite' || arg === 'postgres');
  for (const backend of selected.length > 0 ? selected : (['pglite', 'postgres'] as BenchBackend[]))
    await run(backend);
}
