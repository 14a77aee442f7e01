// Soak (issue 15 part 4): the platform as `throughline start` runs it (its own process, reactions
// in it) on server PostgreSQL, first driven as hard as it goes for a short while to find the peak
// (HL7 v2 over MLLP and FHIR reads and writes together), then held at half that peak for
// --minutes. Per minute: the platform process's RSS, the reactions' backlog (events behind plus
// jobs waiting), ACK and HTTP latency percentiles. After the warm-up, RSS must stay within ±10 %
// of its mean, the backlog must not grow, and p99 must stay steady.
//   npx node bench/soak.ts [--minutes 10] [--peak-seconds 30] [--warmup-minutes 2]
// BENCH_DATABASE_URL names the server (a fresh schema is made and dropped). Not part of npm test.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openPostgres } from '../src/store/sql/postgres.ts';
import type { SqlDatabase } from '../src/store/index.ts';
import { emptyRecord, fhirLoad, hl7Load, type LoadRecord, type Pace } from './lib/soak-load.ts';
import { reportSoak, type Reading } from './lib/soak-report.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'peak-seconds': { type: 'string', default: '30' },
    'warmup-minutes': { type: 'string', default: '2' },
  },
});
const minutes = Number(values.minutes);
const peakSeconds = Number(values['peak-seconds']);
const warmupMinutes = Number(values['warmup-minutes']);
const HL7_CONNECTIONS = 8;
const FHIR_CLIENTS = 8;
const CLIENT = { id: 'soak-admin', secret: 'soak-secret' };

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `soak_${randomBytes(5).toString('hex')}`;
const admin = openPostgres({ connectionString: serverUrl, maxConnections: 2 });
await admin.query(`CREATE SCHEMA ${schema}`);
const ports = { http: 18000 + Math.floor(Math.random() * 1000), mllp: 0 };
ports.mllp = ports.http + 1000;
const platform = startPlatformProcess();
try {
  const base = `http://127.0.0.1:${ports.http}`;
  await waitUntilReady(base);
  const token = await adminToken(base);
  const patients = await createPatients(base, token, 50);
  const peak = await runLoad({ base, token, patients, seconds: peakSeconds, rates: [Infinity, Infinity] });
  const peakRates = [peak.ack.length / peakSeconds, (peak.read.length + peak.write.length) / peakSeconds];
  console.log(
    `peak over ${peakSeconds} s: HL7 ${peakRates[0]!.toFixed(0)} messages/s with FHIR ${peakRates[1]!.toFixed(0)} requests/s beside it (${HL7_CONNECTIONS} MLLP connections, ${FHIR_CLIENTS} HTTP clients)`,
  );
  console.log(`reactions caught up with the peak ${await caughtUp(admin)} s after it`);
  const rates: [number, number] = [peakRates[0]! / 2, peakRates[1]! / 2];
  console.log(
    `soak: ${minutes} min at half the peak: HL7 ${rates[0].toFixed(1)}/s, FHIR ${rates[1].toFixed(1)}/s`,
  );
  const readings: Reading[] = [];
  const sampling = sampleEvery(10_000, async (at) =>
    readings.push({ at, rssMb: rssMb(platform), backlog: await backlog(admin) }),
  );
  const soak = await runLoad({ base, token, patients, seconds: minutes * 60, rates });
  sampling.stop();
  reportSoak({ record: soak, readings, minutes, warmupMinutes });
} finally {
  platform.kill('SIGTERM');
  await new Promise((resolve) => platform.once('exit', resolve));
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.close();
}

function startPlatformProcess(): ChildProcess {
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return spawn(process.execPath, ['src/cli/main.ts', 'start', '--no-seed'], {
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      PORT: String(ports.http),
      MLLP_PORT: String(ports.mllp),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_CLIENT_ID: CLIENT.id,
      ADMIN_CLIENT_SECRET: CLIENT.secret,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function runLoad(options: {
  base: string;
  token: string;
  patients: string[];
  seconds: number;
  rates: [number, number];
}): Promise<LoadRecord> {
  const record = emptyRecord();
  const origin = performance.now();
  const stopAt = origin + options.seconds * 1000;
  const pace = (rate: number): Pace => ({ rate, stopAt, origin });
  await Promise.all([
    hl7Load(ports.mllp, {
      connections: HL7_CONNECTIONS,
      pace: pace(options.rates[0]),
      record,
      prefix: `S${Math.round(origin)}-`,
    }),
    fhirLoad(options.base, {
      clients: FHIR_CLIENTS,
      token: options.token,
      patients: options.patients,
      pace: pace(options.rates[1]),
      record,
    }),
  ]);
  if (record.failures.length > 0)
    console.log(`${record.failures.length} failures, e.g. ${record.failures[0]}`);
  return record;
}

async function waitUntilReady(base: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const ready = await fetch(`${base}/healthz/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the platform never became ready');
}

async function adminToken(base: string): Promise<string> {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function createPatients(base: string, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const response = await fetch(`${base}/fhir/Patient`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Patient',
        name: [{ family: `Soak${n}`, given: ['Api'] }],
        birthDate: '1970-01-01',
      }),
    });
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

/** The platform process's resident set, in MB (Linux). */
function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'latin1');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** What the reactions still have to do: events behind each subscriber, plus jobs waiting. */
async function backlog(db: SqlDatabase): Promise<number> {
  const result = await db.query<{ n: string }>(
    `SELECT ((SELECT coalesce(sum((SELECT count(*) FROM ${schema}.change_event e
               WHERE (e.tx_id, e.seq) > (s.last_tx_id, s.last_seq))), 0)
              FROM ${schema}.event_subscription s WHERE s.last_seq > 0)
           + (SELECT count(*) FROM ${schema}.job WHERE status IN ('ready', 'running') AND run_at <= now()))::text AS n`,
  );
  return Number(result.rows[0]!.n);
}

async function caughtUp(db: SqlDatabase): Promise<string> {
  const started = performance.now();
  while ((await backlog(db)) > 0 && performance.now() - started < 300_000)
    await new Promise((resolve) => setTimeout(resolve, 500));
  return ((performance.now() - started) / 1000).toFixed(1);
}

function sampleEvery(ms: number, sample: (at: number) => Promise<unknown>): { stop(): void } {
  const origin = performance.now();
  const timer = setInterval(() => void sample(performance.now() - origin), ms);
  return { stop: () => clearInterval(timer) };
}
