// Scale-out (issue 15 part 3): two ingest processes (BACKGROUND_WORKER=off) behind a TCP load
// balancer on one PostgreSQL, plus one `throughline worker` for the reactions.
//   npx node bench/hl7v2-scale-out.ts [messages]
// 1. Throughput: the MLLP bench's sender (8 connections, ADT+ORU mix) through the balancer:
//    messages/s in total and per ingest process, and each process's CPU per message.
// 2. The crash and resend invariants: a stream through the balancer, one ingest process killed
//    (SIGKILL) in the middle, the senders resending what was not acknowledged (the balancer
//    sends them to the survivor): every acknowledged message stored once, nothing written twice.
// BENCH_DATABASE_URL names the server (a fresh schema is made and dropped).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { openPostgres } from '../src/store/sql/postgres.ts';
import { sendWithResend } from '../src/server/testing/mllp-resender.ts';
import type { SenderReport } from './lib/mllp-sender.ts';
import { ms, percentile } from './lib/stats.ts';
import { startBalancer } from './lib/tcp-balancer.ts';

const total = Number(process.argv[2] ?? 3000);
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `scale_${randomBytes(5).toString('hex')}`;
const admin = openPostgres({ connectionString: serverUrl, maxConnections: 2 });
await admin.query(`CREATE SCHEMA ${schema}`);
const databaseUrl = new URL(serverUrl);
databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
const basePort = 19000 + Math.floor(Math.random() * 500);
const children: ChildProcess[] = [];
try {
  // The first process migrates; the second starts on the migrated schema.
  const ingest = [await startIngest(0), await startIngest(1)];
  const worker = spawnNode(['src/cli/main.ts', 'worker'], {});
  const balancer = await startBalancer(ingest.map((_, n) => basePort + 100 + n));
  await send(balancer.port, 200, 'WARM');
  const acksBefore = [...balancer.acks];
  const cpuBefore = ingest.map(cpuSeconds);
  const report = await send(balancer.port, total, 'S');
  const perProcess = balancer.acks.map((n, i) => n - acksBefore[i]!);
  const cpu = ingest.map((child, i) => cpuSeconds(child) - cpuBefore[i]!);
  console.log(
    `| 2 ingest processes + 1 worker, balancer round robin, 8 MLLP connections | ${total} messages (${report.accepted} AA) in ${report.seconds.toFixed(1)} s | **${Math.round(total / report.seconds)} messages/s in total**; ${perProcess.map((n, i) => `process ${i + 1}: ${Math.round(n / report.seconds)} messages/s, ${((cpu[i]! * 1000) / Math.max(1, n)).toFixed(2)} ms CPU/message`).join('; ')}; ACK p50 ${ms(percentile(report.latencies, 50))} ms, p99 ${ms(percentile(report.latencies, 99))} ms |`,
  );
  await crashAndResend({ ingest, balancerPort: balancer.port, acks: balancer.acks });
  worker.kill('SIGTERM');
  await balancer.close();
} finally {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 500));
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.close();
}

function spawnNode(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl.toString(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function startIngest(n: number): Promise<ChildProcess> {
  const child = spawnNode(['src/cli/main.ts', 'start', '--no-seed'], {
    PORT: String(basePort + n),
    MLLP_PORT: String(basePort + 100 + n),
    HOST: '127.0.0.1',
    BACKGROUND_WORKER: 'off',
    ADMIN_CLIENT_ID: 'scale-admin',
    ADMIN_CLIENT_SECRET: 'scale-secret',
  });
  for (let attempt = 0; attempt < 1200; attempt++) {
    const ready = await fetch(`http://127.0.0.1:${basePort + n}/healthz/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`ingest process ${n + 1} never became ready`);
}

/** user + system CPU of a child process so far, in seconds (Linux /proc; 100 ticks a second). */
function cpuSeconds(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'latin1').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The MLLP bench's sender, as its own process. */
function send(port: number, count: number, prefix: string): Promise<SenderReport> {
  const child = spawn(
    process.execPath,
    ['bench/lib/mllp-sender.ts', String(port), '8', String(count), prefix],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as SenderReport) : reject(new Error(`sender exited ${code}`)),
    ),
  );
}

/** ORU^R01 with one OBX: one Observation per message, so a double write shows in the count. */
function oru(connection: number, index: number): string {
  const id = `X${connection}-${index}`;
  return (
    [
      `MSH|^~\\&|LAB|NORTH|TL|CLINIC|20261123083000||ORU^R01^ORU_R01|${id}|P|2.5.1`,
      `PID|1||SCALE-MRN-${connection}-${index % 20}^^^RIVERSIDE^MR||Scale${index % 20}^Given${connection}||19800101|F`,
      `OBR|1|ORD-${id}^GP|LAB-${id}^NORTH|4548-4^HbA1c^LN|||20261120090000|||||||||||||||||F`,
      `OBX|1|NM|4548-4^HbA1c^LN||${6 + (index % 10) / 10}|%^%^UCUM|4.0-5.6|H|||F`,
    ].join('\r') + '\r'
  );
}

async function crashAndResend(setup: { ingest: ChildProcess[]; balancerPort: number; acks: number[] }) {
  const perConnection = 150;
  let acknowledged = 0;
  let killed = false;
  const streams = await Promise.all(
    Array.from({ length: 4 }, (_, c) =>
      sendWithResend(
        setup.balancerPort,
        Array.from({ length: perConnection }, (_, i) => oru(c, i)),
        {
          ackTimeoutMs: 10_000,
          retryPauseMs: 200,
          deadline: performance.now() + 300_000,
          onAck: (_i, ack) => {
            if (!ack.includes('MSA|AA|')) throw new Error(`not AA: ${ack}`);
            if (++acknowledged === 150 && !killed) {
              killed = true;
              setup.ingest[1]!.kill('SIGKILL');
            }
          },
        },
      ),
    ),
  );
  const processed = await admin.query<{ n: string; distinct: string }>(
    `SELECT count(*)::text AS n, count(DISTINCT control_id)::text AS distinct FROM ${schema}.inbound_message
     WHERE status = 'processed' AND control_id LIKE 'X%'`,
  );
  const observations = await admin.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${schema}.resource r WHERE resource_type = 'Observation' AND NOT deleted
       AND content LIKE '%4548-4%'`,
  );
  const expected = 4 * perConnection;
  const ok =
    Number(processed.rows[0]!.n) === expected &&
    Number(processed.rows[0]!.distinct) === expected &&
    Number(observations.rows[0]!.n) === expected;
  console.log(
    `crash and resend: ${expected} messages on 4 connections, ingest process 2 killed (SIGKILL) after ${150} ACKs; the senders reconnected ${streams.reduce((sum, s) => sum + s.reconnects, 0)} times through the balancer; every message acknowledged AA; stored ${processed.rows[0]!.n} (${processed.rows[0]!.distinct} distinct control ids), ${observations.rows[0]!.n} Observations — ${ok ? 'every acknowledged message stored once, nothing written twice' : 'INVARIANT BROKEN'}`,
  );
  if (!ok) process.exitCode = 1;
}
