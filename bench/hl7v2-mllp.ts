// HL7 v2 over MLLP end to end (issue 3): 8 connections, ADT+ORU mix for synthetic patients, each
// connection waiting for its ACK before sending the next (per-connection order), on server
// PostgreSQL (and PGlite). Target: ≥ 1,000 messages/s, p99 ACK latency ≤ 50 ms.
//   npx node bench/hl7v2-mllp.ts [postgres|pglite] [messages] [--worker in-process|process|off] [--count]
// The sender is its own process, as the sending system would be. --worker says where the
// reactions to each write (identity match-on-write, journey engine) run: in the platform
// process (the default, as `throughline start` runs), in a `throughline worker` process beside
// it (BACKGROUND_WORKER=off on the platform), or nowhere (ingest alone). --count (server
// PostgreSQL): the statements and round trips the platform sent per measured message.
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { SqlDatabase } from '../src/store/index.ts';
import { measureCpu, ms, percentile } from './lib/stats.ts';
import { backendCpu, cpuBetween } from './lib/postgres-cpu.ts';
import { startBenchPlatform, type BenchBackend } from './lib/bench-platform.ts';
import type { SenderReport } from './lib/mllp-sender.ts';
import { waitForCatchUp } from './lib/reactions-lag.ts';
import { countStatements } from './lib/statement-counter.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { worker: { type: 'string' }, count: { type: 'boolean' } },
});
const backend = (positionals[0] ?? 'postgres') as BenchBackend;
const total = Number(positionals[1] ?? 4000);
// On PGlite the reactions share the one embedded connection; they give way to ingest (issue 15).
const workerMode = (values.worker ?? 'in-process') as 'in-process' | 'process' | 'off';
if (!['in-process', 'process', 'off'].includes(workerMode)) throw new Error(`--worker ${workerMode}?`);
if (workerMode === 'process' && backend !== 'postgres') throw new Error('--worker process needs postgres');
const connections = 8;
const counter = values.count ? countStatements() : undefined;

/** Runs the sender process and reads its report. */
function send(port: number, count: number, prefix: string): Promise<SenderReport> {
  const child = spawn(
    process.execPath,
    ['bench/lib/mllp-sender.ts', String(port), String(connections), String(count), prefix],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as SenderReport) : reject(new Error(`sender exited ${code}`)),
    ),
  );
}

function startWorkerProcess(databaseUrl: string): ChildProcess {
  // BENCH_WORKER_PROFILE_DIR: write the worker's CPU profile there (where reactions spend time).
  const profile = process.env.BENCH_WORKER_PROFILE_DIR;
  const flags = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  return spawn(process.execPath, [...flags, 'src/cli/main.ts', 'worker'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * The platform's PostgreSQL backends' CPU over `run` (server PostgreSQL; its connections carry
 * the bench schema as application_name). CPU seconds hold up on a loaded machine; wall time not.
 */
async function withBackendCpu<T>(run: () => Promise<T>): Promise<{ result: T; postgresSeconds?: number }> {
  const name = platform.applicationName;
  if (!name) return { result: await run() };
  const before = await backendCpu(platform.db, name);
  const result = await run();
  return { result, postgresSeconds: cpuBetween(before, await backendCpu(platform.db, name)) };
}

/** CPU per message: the platform process and, on server PostgreSQL, its database backends. */
function cpuPerMessage(nodeSeconds: number, postgresSeconds: number | undefined): string {
  const per = (seconds: number) => ms((seconds * 1000) / total);
  const node = `CPU per message: platform process (Node) ${per(nodeSeconds)} ms`;
  if (postgresSeconds === undefined) return `${node} (PGlite runs inside it)`;
  const pg = `PostgreSQL backends ${per(postgresSeconds)} ms`;
  return `${node}, ${pg}, **together ${per(nodeSeconds + postgresSeconds)} ms**`;
}

/** Statements and round trips per message, then the statements sent most. */
function statementsPerMessage(counted: ReturnType<typeof countStatements>): string {
  const per = (n: number) => (n / total).toFixed(2);
  const top = counted.top(12).map(([text, n]) => `\n  ${per(n).padStart(6)}  ${text}`);
  return `per message: ${per(counted.total())} statements in ${per(counted.roundTrips())} round trips${top.join('')}`;
}

/** How long after the last ACK the reactions (identity, journey) had handled every event. */
async function catchUp(db: SqlDatabase, limitSeconds: number): Promise<string> {
  const { seconds, behind } = await waitForCatchUp(db, limitSeconds);
  return behind
    ? `reactions still behind ${limitSeconds} s after the last ACK: ${behind}`
    : `reactions caught up ${seconds.toFixed(1)} s after the last ACK`;
}

const platform = await startBenchPlatform(
  backend,
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  { backgroundWorker: workerMode === 'in-process' },
);
const worker = workerMode === 'process' ? startWorkerProcess(platform.databaseUrl!) : undefined;
try {
  await send(platform.mllpPort, 200, 'WARM');
  counter?.reset();
  const measured = await withBackendCpu(() => measureCpu(() => send(platform.mllpPort, total, 'B')));
  const { result: report, summary: cpu, ownSeconds } = measured.result;
  const { latencies, seconds, accepted, maxAckGapMs } = report;
  console.log(
    `| ${backend} | MLLP, ${connections} connections, ADT A08 + ORU R01 (3 OBX), reactions ${workerMode} | ${total} messages (${accepted} AA) in ${seconds.toFixed(1)} s | **${Math.round(total / seconds)} messages/s**, ACK p50 ${ms(percentile(latencies, 50))} ms, p95 ${ms(percentile(latencies, 95))} ms, **p99 ${ms(percentile(latencies, 99))} ms**, longest gap between ACKs ${ms(maxAckGapMs)} ms |`,
  );
  console.log(`${cpu} (the sender process counts in the rest)`);
  console.log(cpuPerMessage(ownSeconds, measured.postgresSeconds));
  if (counter) console.log(statementsPerMessage(counter));
  if (workerMode !== 'off')
    console.log(await catchUp(platform.db, Number(process.env.BENCH_CATCH_UP_SECONDS ?? 60)));
} finally {
  worker?.kill('SIGTERM');
  if (worker) await new Promise((resolve) => worker.once('exit', resolve));
  await platform.stop();
}
