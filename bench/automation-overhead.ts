// Write-path overhead of automation (issue 17: ≤ 10% of throughput with 50 active rules and 20
// subscriptions, paired runs, rules on vs off). Each run is a fresh platform with every reaction
// running in-process (identity, journey, engagement, rules, connectors); "on" adds 50 active
// rules (the recipes and 46 of three shapes on the types written) and 20 rest-hook Subscriptions
// to a loopback receiver (10 match every final Observation). Measured: FHIR writes/s (POSTed
// DiagnosticReports, `--concurrency` at once) and HL7 v2 messages/s (ADT^A08/ORU^R01 over MLLP,
// 8 connections), each from the first request to the last 201/ACK; with `--settle`, then the
// time for the reactions to catch up. `--modes=off,on` (default) or any of off, on, rules
// (the 50 rules only), subs (the 20 Subscriptions only); each pair runs them in turn, the order
// reversed every other pair.
//   npx node bench/automation-overhead.ts [postgres|pglite] [--writes=400] [--pairs=2] [--concurrency=8] [--modes=off,on] [--settle] [--count] [--profile=FILE]
import { createServer } from 'node:http';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { loadRecipes, saveRule } from '../src/automation/index.ts';
import { backgroundTurnTally, interactiveWallMs } from '../src/store/index.ts';
import { ruleOf, step } from '../src/automation/testing/rule-builder.ts';
import { startBenchPlatform, type BenchBackend, type BenchPlatform } from './lib/bench-platform.ts';
import { sendAll } from './lib/mllp-sender.ts';
import { backendCpu, cpuBetween } from './lib/postgres-cpu.ts';
import { countStatements } from './lib/statement-counter.ts';

const numberArg = (name: string, fallback: number) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const backend = (process.argv.find((a) => a === 'pglite' || a === 'postgres') ?? 'postgres') as BenchBackend;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WRITES = numberArg('writes', 400);
const PAIRS = numberArg('pairs', 2);
const CONCURRENCY = numberArg('concurrency', 8);
type Mode = 'off' | 'on' | 'rules' | 'subs';
const MODES = (process.argv.find((a) => a.startsWith('--modes='))?.slice(8) ?? 'off,on').split(',') as Mode[];
const SETTLE = process.argv.includes('--settle');
// --count: the SQL statements per HL7 message (incl. its reactions with --settle), and the top 40.
const COUNTER = process.argv.includes('--count') ? countStatements() : undefined;
// --profile=FILE: a CPU profile of this process over the HL7 messages and their reactions (the
// last run's), for Chrome DevTools or any .cpuprofile reader.
const PROFILE_TO = process.argv.find((a) => a.startsWith('--profile='))?.slice(10);

/** The 46 rules beside the recipes: labs (some act), high readings (some act), phone changes. */
function benchRules() {
  return Array.from(
    { length: 50 - loadRecipes().length },
    (_, n) =>
      [
        ruleOf({
          title: `lab ${n}`,
          resourceType: 'DiagnosticReport',
          when: "%resource.status = 'final' and (%previous.empty() or %previous.status != 'final')",
          conditions: [`%resource.code.text = 'L${n}'`],
          actions: [step('send', { purpose: "'results-ready'" })],
          status: 'active',
        }),
        ruleOf({
          title: `reading ${n}`,
          resourceType: 'Observation',
          on: 'data-added',
          when: `%resource.valueQuantity.value > ${200 + n}`,
          actions: [step('task', { description: "'High reading'" })],
          status: 'active',
        }),
        ruleOf({
          title: `phone ${n}`,
          resourceType: 'Patient',
          on: 'data-modified',
          when: '%resource.telecom.value.first() != %previous.telecom.value.first()',
          conditions: [`%resource.name.family.first() = 'F${n}'`],
          actions: [step('task', { description: "'Phone changed'" })],
          status: 'active',
        }),
      ][n % 3]!,
  );
}

async function startReceiver(): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

type Post = (resource: { resourceType: string }) => Promise<{ id: string }>;

async function poster(platform: BenchPlatform): Promise<Post> {
  const headers = {
    authorization: `Bearer ${await platform.token()}`,
    'content-type': 'application/fhir+json',
  };
  return async (resource) => {
    const response = await fetch(`${platform.url}/fhir/${resource.resourceType}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(resource),
    });
    if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
}

async function turnOn(
  platform: BenchPlatform,
  work: { post: Post; receiverUrl: string; mode: Mode },
): Promise<void> {
  const { post, receiverUrl, mode } = work;
  if (mode === 'on' || mode === 'rules')
    for (const plan of [...loadRecipes(), ...benchRules()])
      await saveRule(platform.repository, { ...plan, status: 'active' }, { trusted: true });
  if (mode === 'on' || mode === 'subs')
    for (let i = 0; i < 20; i++)
      await post({
        resourceType: 'Subscription',
        status: 'requested',
        reason: 'bench',
        criteria: i % 2 === 0 ? 'Observation?status=final' : `Observation?code=http://loinc.org|never-${i}`,
        channel: { type: 'rest-hook', endpoint: `${receiverUrl}/s${i}`, payload: 'application/fhir+json' },
      } as { resourceType: string });
}

/** FHIR writes/s: DiagnosticReports POSTed `CONCURRENCY` at a time. */
async function fhirWrites(post: Post, patient: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < WRITES; i = next++)
        await post({
          resourceType: 'DiagnosticReport',
          status: 'final',
          code: { text: `L${i % 60}` },
          subject: { reference: `Patient/${patient}` },
        } as { resourceType: string });
    }),
  );
  return WRITES / ((performance.now() - started) / 1000);
}

/**
 * The FHIR writes, with what they cost beside the rate (load-independent, unlike the rate):
 * this process's CPU per write, and the share of the time with requests in flight that
 * background work ran its turns (`background-duty.ts`).
 */
async function fhirPhase(post: Post, patient: string): Promise<string> {
  const cpu = process.cpuUsage();
  const turns = backgroundTurnTally();
  const inFlight = interactiveWallMs();
  const rate = await fhirWrites(post, patient);
  const used = process.cpuUsage(cpu);
  const turnMs = backgroundTurnTally().turnMs - turns.turnMs;
  const share = (100 * turnMs) / (interactiveWallMs() - inFlight);
  const perWrite = (used.user + used.system) / 1000 / WRITES;
  return `FHIR ${rate.toFixed(1)} writes/s (process CPU ${perWrite.toFixed(2)} ms/write, background turns ${share.toFixed(1)}% of in-flight time)`;
}

type CpuMark = { process: NodeJS.CpuUsage; backends: Map<number, number> };

async function cpuNow(platform: BenchPlatform & { applicationName?: string }): Promise<CpuMark> {
  const backends = platform.applicationName
    ? await backendCpu(platform.db, platform.applicationName)
    : new Map();
  return { process: process.cpuUsage(), backends };
}

/** ms of CPU per HL7 message since `mark`: this process + its PostgreSQL backends. */
async function cpuPerMessage(
  platform: BenchPlatform & { applicationName?: string },
  mark: CpuMark,
): Promise<string> {
  const own = process.cpuUsage(mark.process);
  const ownMs = (own.user + own.system) / 1000;
  const backendMs = cpuBetween(mark.backends, (await cpuNow(platform)).backends) * 1000;
  const per = (ms: number) => (ms / WRITES).toFixed(2);
  return `${per(ownMs + backendMs)} ms/msg (process ${per(ownMs)} + PostgreSQL ${per(backendMs)})`;
}

/** The statements counted since the HL7 messages began: per message, then the most sent. */
function statements(): string {
  if (!COUNTER) return '';
  const top = COUNTER.top(40).map(([text, n]) => `\n    ${String(n).padStart(6)}  ${text}`);
  return `; ${(COUNTER.total() / WRITES).toFixed(1)} statements/msg (${COUNTER.total()})${top.join('')}`;
}

async function startProfiler(): Promise<Session | undefined> {
  if (!PROFILE_TO) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return session;
}

async function run(mode: Mode, pair: number): Promise<string> {
  const receiver = await startReceiver();
  const platform = await startBenchPlatform(backend, databaseUrl, {
    env: { SUBSCRIPTION_ALLOWED_HOSTS: '127.0.0.1', QUIET_HOURS: 'off' },
  });
  try {
    const post = await poster(platform);
    await turnOn(platform, { post, receiverUrl: receiver.url, mode });
    const patient = (
      await post({ resourceType: 'Patient', name: [{ family: 'Bench' }] } as { resourceType: string })
    ).id;
    await platform.worker.drain();
    const fhir = await fhirPhase(post, patient);
    // With --settle the FHIR writes' reactions end first, so the HL7 CPU below is the messages'
    // own: ingest plus every reaction to them (this process and its PostgreSQL backends).
    if (SETTLE) await platform.worker.drain();
    const cpu = await cpuNow(platform);
    COUNTER?.reset();
    const profiler = await startProfiler();
    const hl7 = await sendAll(platform.mllpPort, 8, WRITES, `P${pair}${mode}`);
    // The CPU the burst took per message (the messages' ingest and what background work ran
    // beside it): unlike the rate, it hardly moves with other load on the machine.
    const burst = await cpuPerMessage(platform, cpu);
    const settleStart = performance.now();
    if (SETTLE) await platform.worker.drain();
    const settle = SETTLE
      ? `, settled ${((performance.now() - settleStart) / 1000).toFixed(1)} s after; HL7 CPU incl. reactions ${await cpuPerMessage(platform, cpu)}`
      : '';
    if (profiler) writeFileSync(PROFILE_TO!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
    const rate = (hl7.accepted / hl7.seconds).toFixed(1);
    return `${mode.padEnd(5)} pair ${pair}: ${fhir}, HL7 ${rate} msg/s (${hl7.accepted} AA; burst CPU ${burst})${settle}${statements()}`;
  } finally {
    await platform.stop();
    receiver.close();
  }
}

console.log(
  `automation write-path overhead on ${backend}: ${WRITES} FHIR writes + ${WRITES} HL7 messages per run`,
);
for (let pair = 1; pair <= PAIRS; pair++)
  for (const mode of pair % 2 === 1 ? MODES : [...MODES].reverse()) console.log(await run(mode, pair));
