// Engagement benchmark (issue 16): dispatch of due reminders with the consent, quiet-hours and
// frequency checks of the moment of sending, to a real SMTP server (smtp-server) and a local
// Twilio-compatible HTTP server, through the durable job queue and the engagement service's
// scoped, audited store. Only engagement reacts (identity and journey are not running).
//   - burst: N reminders all due now → messages/s until every one is accepted;
//   - paced: reminders falling due at a steady rate → p50/p95 from due time to provider accepted.
//   npx node bench/engagement.ts [pglite|postgres ...] [--count=10000] [--paced=150] [--rate=5] [--concurrency=16]
//     [--warmup=N]: first a burst of N in a schema of its own, reported apart (JIT, connections, caches);
//     [--profile=FILE]: a V8 CPU profile of the measured burst's dispatch alone, for DevTools;
//     [--statements]: the SQL statements (and round trips) per message of the measured burst, the most sent.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Communication, Resource } from '@medplum/fhirtypes';
import { SMTPServer } from 'smtp-server';
import { parseConfig } from '../src/kernel/config.ts';
import {
  createFhirRepository,
  openDatabase,
  startBackgroundWorker,
  startStatisticsUpkeep,
  type SqlDatabase,
} from '../src/store/index.ts';
import { openPostgres } from '../src/store/sql/postgres.ts';
import {
  closeChannels,
  deliveryHandler,
  outreachScheduler,
  PURPOSE_SYSTEM,
} from '../src/engagement/index.ts';
import { engagementService } from '../src/server/engagement-service.ts';
import { startTwilioServer } from '../src/engagement/testing/twilio-server.ts';
import { ms, percentile } from './lib/stats.ts';
import { backendCpu, cpuBetween } from './lib/postgres-cpu.ts';
import { countStatements } from './lib/statement-counter.ts';

type Backend = 'pglite' | 'postgres';
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const account = { accountSid: 'ACbench000000000000000000000000000', authToken: 'bench-token' };
const countArg = process.argv.find((arg) => arg.startsWith('--count='));
const COUNT = countArg ? Number(countArg.slice(8)) : 10_000;
const MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';
const numberArg = (name: string, fallback: number) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
/** Paced run: how many reminders, falling due how many per second (below the burst throughput). */
const PACED_COUNT = numberArg('paced', 150);
const PACED_RATE = numberArg('rate', 5);
/** Deliveries in flight at once (the handler's concurrency). */
const CONCURRENCY = numberArg('concurrency', 16);
const WARMUP = numberArg('warmup', 0);
const profileTo = process.argv.find((arg) => arg.startsWith('--profile='))?.slice('--profile='.length);
const COUNTER = process.argv.includes('--statements') ? countStatements() : undefined;

/** One patient and one due reminder (every other one by e-mail), each with a consent on file. */
function reminders(count: number, dueAt: (i: number) => string): Resource[] {
  return Array.from({ length: count }, (_, i) => {
    const patient = randomUUID();
    const email = i % 2 === 1;
    return [
      {
        resourceType: 'Patient',
        id: patient,
        name: [{ family: `Bench${i}` }],
        telecom: [
          email
            ? { system: 'email', value: `p${i}@bench.test` }
            : { system: 'phone', use: 'mobile', value: `+1666${String(10_000_000 + i).slice(1)}` },
        ],
      },
      {
        resourceType: 'Consent',
        id: randomUUID(),
        status: 'active',
        scope: { text: 'privacy' },
        category: [{ text: 'contact' }],
        patient: { reference: `Patient/${patient}` },
        dateTime: '2026-01-01T00:00:00Z',
        policyRule: { text: 'opt-in' },
        provision: {
          type: 'permit',
          code: [{ coding: [{ system: MODE, code: email ? 'EMAILWRIT' : 'SMSWRIT' }] }],
        },
      },
      {
        resourceType: 'CommunicationRequest',
        id: randomUUID(),
        status: 'active',
        category: [{ coding: [{ system: PURPOSE_SYSTEM, code: 'appointment-reminder' }] }],
        medium: [{ coding: [{ system: MODE, code: email ? 'EMAILWRIT' : 'SMSWRIT' }] }],
        recipient: [{ reference: `Patient/${patient}` }],
        subject: { reference: `Patient/${patient}` },
        payload: [{ contentString: `Reminder ${i}: your appointment is tomorrow at 09:30.` }],
        occurrenceDateTime: dueAt(i),
      },
    ] as Resource[];
  }).flat();
}

async function startSmtp(): Promise<{ port: number; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => (received++, callback()));
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return {
    port: (server.server.address() as AddressInfo).port,
    received: () => received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Bench {
  db: SqlDatabase;
  /** The bench's connections' application_name (server PostgreSQL only). */
  name?: string;
  close(): Promise<void>;
}

async function openBench(backend: Backend): Promise<Bench> {
  if (backend === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'throughline-bench-'));
    const db = await openDatabase({ databaseUrl: undefined, dataDir });
    return { db, close: async () => (await db.close(), rmSync(dataDir, { recursive: true, force: true })) };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = openPostgres({ connectionString: databaseUrl, maxConnections: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', schema);
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  return {
    db,
    name: schema,
    async close() {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

/** Runs the engagement reactions until `count` attempts were accepted; the accepted attempts. */
async function dispatch(setup: {
  db: SqlDatabase;
  config: ReturnType<typeof parseConfig>;
  count: number;
  /** Messages the providers accepted so far in this dispatch (counted in process, no query). */
  accepted: () => number;
}): Promise<Communication[]> {
  const repository = createFhirRepository(setup.db, { baseUrl: 'http://bench/fhir' });
  const engagement = engagementService({ repository, db: setup.db, config: setup.config });
  const worker = startBackgroundWorker(setup.db, {
    pollMs: 20,
    batchSize: 200,
    eventHandlers: [outreachScheduler(engagement)],
    jobHandlers: [deliveryHandler(engagement, { concurrency: CONCURRENCY })],
  });
  // As `throughline start` does (src/server/start-reactions.ts): a first pass at once, then every
  // 15 s. Without it the planner saw the reminders just imported as absent, and the scheduler's
  // search of 100 requests by `_id` and `status=active` read every active request's status
  // token each time (quadratic in the burst; half of PostgreSQL's CPU per message at 1,000).
  const statistics = startStatisticsUpkeep(setup.db, { intervalMs: 15_000 });
  // Done when the providers took every message and no delivery job is left (each ends after its
  // request's completion committed). Until 2026-12-06 this polled a count of completed requests
  // every 100 ms, parsing every request's JSON: PostgreSQL CPU that grew with --count.
  for (;;) {
    if (setup.accepted() >= setup.count) {
      const open = await setup.db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM job WHERE queue = 'engagement:deliver' AND status IN ('ready', 'running')`,
      );
      if (open.rows[0]!.n === '0') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await worker.stop();
  await statistics.stop();
  await closeChannels(engagement.channels); // the pooled SMTP connections
  const rows = await setup.db.query<{ content: string }>(
    `SELECT content FROM resource WHERE resource_type = 'Communication'`,
  );
  return rows.rows.map(
    (row) => (typeof row.content === 'string' ? JSON.parse(row.content) : row.content) as Communication,
  );
}

/**
 * A dispatch timed, with the CPU it cost per message: this process (Node: the worker, the
 * providers' fakes) and, on server PostgreSQL, the bench's database backends. On a machine
 * shared with other work the throughput moves with the load; CPU per message does much less.
 */
async function measureDispatch(
  bench: Bench,
  { profile, ...setup }: Parameters<typeof dispatch>[0] & { profile: boolean },
): Promise<{ attempts: Communication[]; seconds: number; cpu: string }> {
  const pgBefore = bench.name ? await backendCpu(bench.db, bench.name) : new Map<number, number>();
  const profiler = profile ? new Session() : undefined;
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  await profiler?.post('Profiler.start');
  COUNTER?.reset();
  // With --statements, a database that has pg_stat_statements starts counting the burst afresh.
  if (COUNTER) await bench.db.query('SELECT public.pg_stat_statements_reset()').catch(() => undefined);
  const nodeBefore = process.cpuUsage();
  const began = performance.now();
  const attempts = await dispatch(setup);
  const seconds = (performance.now() - began) / 1000;
  const node = process.cpuUsage(nodeBefore);
  if (profiler) writeFileSync(profileTo!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  const perMessage = (coreSeconds: number) => ms((coreSeconds * 1000) / setup.count);
  const nodeCpu = `CPU per message: Node ${perMessage((node.user + node.system) / 1e6)} ms${statementsPer(setup.count)}`;
  if (!bench.name) return { attempts, seconds, cpu: `${nodeCpu} (the database runs inside it)` };
  const pg = cpuBetween(pgBefore, await backendCpu(bench.db, bench.name));
  return { attempts, seconds, cpu: `${nodeCpu}, PostgreSQL backends ${perMessage(pg)} ms` };
}

/** With --statements: SQL statements and round trips per message, and the most sent (the bench's polling included). */
function statementsPer(count: number): string {
  if (!COUNTER) return '';
  const top = COUNTER.top(25).map(([text, n]) => `<br>${(n / count).toFixed(3)} ${text}`);
  const per = (n: number) => (n / count).toFixed(2);
  return ` (${per(COUNTER.total())} statements, ${per(COUNTER.roundTrips())} round trips per message${top.join('')})`;
}

/** A zone where it is about noon now: the quiet-hours check runs, and lets every message go. */
function middayZone(): string {
  const offset = new Date().getUTCHours() - 12;
  return offset >= 0 ? `Etc/GMT+${offset}` : `Etc/GMT${offset}`;
}

async function run(backend: Backend): Promise<string[]> {
  const [twilio, smtp] = [await startTwilioServer(account), await startSmtp()];
  const rows: string[] = [];
  const modes = [
    ...(WARMUP > 0 ? ['warm-up' as const] : []),
    'burst' as const,
    ...(PACED_COUNT > 0 ? ['paced' as const] : []),
  ];
  for (const mode of modes) {
    const bench = await openBench(backend);
    const config = parseConfig({
      DATA_DIR: tmpdir(),
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: account.accountSid,
      TWILIO_AUTH_TOKEN: account.authToken,
      TWILIO_FROM: '+15550009999',
      TWILIO_API_URL: twilio.url,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls=off`,
      QUIET_HOURS: '21:00-08:00',
      CLINIC_TIME_ZONE: middayZone(),
    });
    const burst = mode !== 'paced';
    const count = mode === 'warm-up' ? WARMUP : burst ? COUNT : Math.min(COUNT, PACED_COUNT);
    const start = Date.now() + (burst ? 0 : 5000);
    const rate = PACED_RATE; // paced: reminders falling due per second
    const repository = createFhirRepository(bench.db, { baseUrl: 'http://bench/fhir' });
    // In transactions of 1,000: one import takes an advisory lock per resource, and 20,000 in one
    // transaction overflow a default server's lock table (max_locks_per_transaction 64).
    const toImport = reminders(count, (i) =>
      new Date(burst ? start : start + (i * 1000) / rate).toISOString(),
    );
    for (let from = 0; from < toImport.length; from += 1000)
      await repository.importResources(toImport.slice(from, from + 1000));
    const profile = mode === 'burst' && profileTo !== undefined;
    const base = smtp.received() + twilio.accepted.length;
    const accepted = () => smtp.received() + twilio.accepted.length - base;
    const dispatched = { db: bench.db, config, count, accepted, profile };
    const { attempts, seconds, cpu } = await measureDispatch(bench, dispatched);
    const dueOf = new Map<string, number>();
    const requests = await bench.db.query<{ id: string; content: string }>(
      `SELECT id, content FROM resource WHERE resource_type = 'CommunicationRequest'`,
    );
    for (const row of requests.rows)
      dueOf.set(
        row.id,
        Date.parse(
          (typeof row.content === 'string' ? JSON.parse(row.content) : row.content).occurrenceDateTime,
        ),
      );
    const latency = attempts.map(
      (c) => Date.parse(c.sent!) - dueOf.get(c.basedOn![0]!.reference!.slice(21))!,
    );
    rows.push(
      burst
        ? `| ${backend} | ${mode === 'warm-up' ? 'warm-up: ' : ''}${count} reminders due at once (half SMS, half e-mail) | ${seconds.toFixed(1)} s | **${Math.round(count / seconds)} messages/s** | due → accepted p95 ${ms(percentile(latency, 95) / 1000)} s (a burst: queueing); ${cpu} |`
        : `| ${backend} | ${count} reminders falling due at ${rate}/s | ${seconds.toFixed(1)} s | | due → accepted p50 ${ms(percentile(latency, 50))} ms, **p95 ${ms(percentile(latency, 95))} ms** |`,
    );
    await bench.close();
  }
  rows.push(
    `| ${backend} | check: SMTP received ${smtp.received()}, Twilio-compatible accepted ${twilio.accepted.length} | | | |`,
  );
  await twilio.close();
  await smtp.close();
  return rows;
}

const backends = process.argv
  .slice(2)
  .filter((arg): arg is Backend => arg === 'pglite' || arg === 'postgres');
console.log('| database | what | time | throughput | latency |\n| --- | --- | --- | --- | --- |');
for (const backend of backends.length > 0 ? backends : (['postgres', 'pglite'] as Backend[]))
  for (const row of await run(backend)) console.log(row);
