import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createMllpDecoder, encodeFrame } from '../hl7v2/index.ts';
import type { SqlDatabase } from '../store/index.ts';
import { pgliteBackend, postgresSkipReason } from '../store/testing/backends.ts';
import { openFaultDatabase, type FaultDatabase } from '../store/testing/fault-database.ts';
import { sendWithResend } from './testing/mllp-resender.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * What happens when PostgreSQL goes away (issue 15 part 4), on server PostgreSQL, in the middle
 * of an HL7 v2 stream over MLLP and an API write load: every backend of the platform is
 * terminated (`pg_terminate_backend`) several times, and the database is cut off for a while
 * by a TCP proxy between the platform and PostgreSQL (as a restarting server is). The platform
 * reconnects without a restart; every acknowledged message and every write answered 2xx is
 * there afterwards, none twice; the reactions resume where they were. While the database is
 * away: readiness fails and liveness holds, a request gets 503 with Retry-After and an
 * OperationOutcome, an HL7 message gets no ACK — never a 500, never a hang.
 *
 * It runs in its own database (`throughline_faults`, created from TEST_DATABASE_URL) and only
 * ever terminates its own connections (its own database and application_name): other tests
 * and other people share the server.
 */
const REQUEST_TIMEOUT_SECONDS = 10;
const HL7_CONNECTIONS = 3;
const API_WRITERS = 3;

interface Setup extends FaultDatabase {
  platform: TestPlatform;
  cleanup(): Promise<void>;
}

async function setUp(): Promise<Setup> {
  const database = await openFaultDatabase();
  const platform = await startTestPlatform(pgliteBackend, {
    DATABASE_URL: database.url,
    HTTP_REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS),
    HTTP_HEADERS_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS),
  });
  const cleanup = async () => {
    await platform.stop();
    await database.close();
  };
  return { ...database, platform, cleanup };
}

// A failed run can leave the platform's listeners open, and the file would never end: a
// watchdog ends it a while after the test (a passing run has closed everything by then).
after(() => {
  setTimeout(() => {
    console.error('database-faults: still running 20 s after the test; ending the process');
    process.exit(1);
  }, 20_000).unref();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** ORU^R01 with one OBX: one Observation per message, so a double write shows in the count. */
function oru(connection: number, index: number): string {
  const id = `F${connection}-${index}`;
  return (
    [
      `MSH|^~\\&|LAB|NORTH|TL|CLINIC|20261123083000||ORU^R01^ORU_R01|${id}|P|2.5.1`,
      `PID|1||FAULT-MRN-${connection}-${index % 10}^^^RIVERSIDE^MR||Fault${index % 10}^Given${connection}||19800101|F`,
      `OBR|1|ORD-${id}^GP|LAB-${id}^NORTH|4548-4^HbA1c^LN|||20261120090000|||||||||||||||||F`,
      `OBX|1|NM|4548-4^HbA1c^LN||${6 + (index % 10) / 10}|%^%^UCUM|4.0-5.6|H|||F`,
    ].join('\r') + '\r'
  );
}

/** What the load saw: every HTTP answer (status, ms, problems) and every ACK. */
interface Observed {
  statuses: number[];
  slowest: number;
  problems: string[];
  acks: string[];
  /** Identifiers whose create was answered 2xx. */
  written: Set<string>;
}

/** One API answer: a 2xx, or a 503 that says when to retry and why; never anything else. */
async function check(observed: Observed, response: Response, ms: number): Promise<boolean> {
  observed.statuses.push(response.status);
  observed.slowest = Math.max(observed.slowest, ms);
  if (response.ok) return true;
  const body = (await response.json().catch(() => ({}))) as {
    resourceType?: string;
    issue?: { code: string }[];
  };
  if (response.status !== 503) observed.problems.push(`${response.status} ${JSON.stringify(body)}`);
  else if (!response.headers.get('retry-after') || body.resourceType !== 'OperationOutcome')
    observed.problems.push(`503 without Retry-After or OperationOutcome: ${JSON.stringify(body)}`);
  else if (body.issue?.[0]?.code !== 'transient') observed.problems.push(`503 issue ${JSON.stringify(body)}`);
  return false;
}

/** Conditional creates (If-None-Exist, so a retry after a lost answer is not a second record) and reads. */
async function apiWriter(
  platform: TestPlatform,
  {
    writer,
    token,
    observed,
    stop,
  }: { writer: number; token: string; observed: Observed; stop: () => boolean },
): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' };
  for (let n = 0; !stop() || n < 5; n++) {
    const value = `w${writer}-${n}`;
    const patient = {
      resourceType: 'Patient',
      identifier: [{ system: 'urn:faults', value }],
      name: [{ family: `Writer${writer}`, given: [`N${n}`] }],
    };
    for (;;) {
      const started = performance.now();
      const response = await fetch(`${platform.url}/fhir/Patient`, {
        method: 'POST',
        headers: { ...headers, 'if-none-exist': `identifier=urn:faults|${value}` },
        body: JSON.stringify(patient),
      }).catch(() => undefined);
      if (response && (await check(observed, response, performance.now() - started))) break;
      await sleep(100);
    }
    observed.written.add(value);
    const started = performance.now();
    const read = await fetch(`${platform.url}/fhir/Patient?identifier=urn:faults|${value}`, { headers });
    await check(observed, read, performance.now() - started);
  }
}

/** While the database is cut off: what each edge answers, and how fast. */
async function probeWhileAway(setup: Setup, token: string): Promise<void> {
  const { platform } = setup;
  const started = performance.now();
  const ready = await fetch(`${platform.url}/healthz/ready`);
  assert.equal(ready.status, 503, 'readiness fails while the database is away');
  assert.ok(ready.headers.get('retry-after'), 'readiness says when to look again');
  assert.equal((await fetch(`${platform.url}/healthz`)).status, 503, '/healthz is readiness');
  assert.equal((await fetch(`${platform.url}/healthz/live`)).status, 200, 'liveness holds');
  const read = await fetch(`${platform.url}/fhir/Patient?_count=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(read.status, 503, 'a request while the database is away is 503');
  assert.ok(read.headers.get('retry-after'), '503 carries Retry-After');
  const outcome = (await read.json()) as { resourceType: string; issue: { code: string }[] };
  assert.equal(outcome.resourceType, 'OperationOutcome');
  assert.equal(outcome.issue[0]!.code, 'transient');
  assert.equal(await mllpAnswer(platform.mllpPort, oru(9, 0)), 'closed without ACK');
  // Bounded by the request timeout, the contract ("never a hang past the request timeout"): an
  // answer that waited for it takes that long alone, while a loaded machine (load 40) can stretch
  // seven prompt answers past any tighter bound.
  assert.ok(
    performance.now() - started < REQUEST_TIMEOUT_SECONDS * 1000,
    'every answer came before the request timeout, none waited for it',
  );
}

/** Sends one message on a fresh connection: its ACK, or how the connection ended without one. */
async function mllpAnswer(port: number, message: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const decoder = createMllpDecoder(1 << 20);
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => (socket.destroy(), resolve('no answer before the request timeout')),
      REQUEST_TIMEOUT_SECONDS * 1000,
    );
    socket.on('connect', () => socket.write(encodeFrame(message)));
    socket.on('data', (chunk: Buffer) => {
      const frame = decoder.push(chunk).find((event) => event.kind === 'frame');
      if (frame?.kind === 'frame') resolve(frame.payload.toString());
    });
    socket.on('close', () => (clearTimeout(timer), resolve('closed without ACK')));
  });
}

/**
 * The faults, once the load flows: every backend terminated three times, the database cut off
 * for two seconds, terminated once more after it is back.
 */
async function injectFaults(
  setup: Setup,
  { token, flowing }: { token: string; flowing: () => boolean },
): Promise<number> {
  while (!flowing()) await sleep(50);
  let terminated = 0;
  for (let round = 0; round < 3; round++) {
    await sleep(400);
    terminated += await setup.terminate();
  }
  await sleep(300);
  setup.proxy.cut();
  await probeWhileAway(setup, token);
  await sleep(1_500);
  setup.proxy.restore();
  await sleep(500);
  terminated += await setup.terminate();
  await sleep(1_000);
  return terminated;
}

async function waitUntilReady(platform: TestPlatform): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await fetch(`${platform.url}/healthz/ready`)).ok) return;
    await sleep(100);
  }
  throw new Error('never ready again');
}

// The timeout only guards against a hang: at load 23 on 2 cores the run took over 90 s (the
// reactions alone caught up in 44 s); a quiet run takes a fraction of it.
test(
  'database faults mid-stream: reconnects, loses nothing, writes nothing twice; 503 and no ACK while away',
  { skip: postgresSkipReason, timeout: 240_000 },
  async (t) => {
    const setup = await setUp();
    try {
      const { platform } = setup;
      const token = await platform.token();
      const observed: Observed = { statuses: [], slowest: 0, problems: [], acks: [], written: new Set() };
      let faultsOver = false;
      const stop = () => faultsOver;
      const deadline = performance.now() + 60_000;
      const streams = Array.from({ length: HL7_CONNECTIONS }, (_, connection) =>
        sendWithResend(
          platform.mllpPort,
          Array.from({ length: 5_000 }, (_, index) => oru(connection, index)),
          {
            ackTimeoutMs: 3_000,
            retryPauseMs: 100,
            deadline,
            stop,
            onAck: (_i, ack) => observed.acks.push(ack),
          },
        ),
      );
      const writers = Array.from({ length: API_WRITERS }, (_, writer) =>
        apiWriter(platform, { writer, token, observed, stop }),
      );
      const flowing = () => observed.acks.length >= 20 && observed.written.size >= 6;
      const terminated = await injectFaults(setup, { token, flowing });
      faultsOver = true;
      const sent = await Promise.all(streams);
      await Promise.all(writers);
      await waitUntilReady(platform);
      const drained = performance.now();
      await platform.worker.drain();
      t.diagnostic(
        `${terminated} backends terminated; ${sent.map((each) => each.acknowledged).join('+')} messages ACKed ` +
          `after ${sent.map((each) => each.reconnects).join('+')} resends; ${observed.written.size} writes 2xx, ` +
          `${observed.statuses.filter((status) => status === 503).length} answers 503; slowest ${Math.round(observed.slowest)} ms; ` +
          `reactions caught up in ${Math.round(performance.now() - drained)} ms`,
      );
      assert.ok(terminated > 0, 'backends were terminated');
      assert.ok(
        sent.some((each) => each.reconnects > 0),
        'the faults reached the HL7 senders (they had to resend)',
      );
      assert.ok(observed.statuses.includes(503), 'the faults reached the API (some 503)');
      assert.deepEqual(
        observed.problems,
        [],
        'never a 500, every 503 with Retry-After and an OperationOutcome',
      );
      assert.ok(observed.slowest < REQUEST_TIMEOUT_SECONDS * 1000, `slowest answer ${observed.slowest} ms`);
      await assertNothingLost(setup, { sent, observed });
      await assertReactionsCaughtUp(setup.admin, setup.schema);
    } finally {
      await setup.cleanup();
    }
  },
);

/** Every acknowledged message and every 2xx write is stored, once. */
async function assertNothingLost(
  { admin, schema }: Setup,
  { sent, observed }: { sent: { acknowledged: number }[]; observed: Observed },
): Promise<void> {
  assert.ok(
    observed.acks.every((ack) => ack.includes('MSA|AA|')),
    'a database fault never turns into an AE or AR',
  );
  const acknowledged = sent.reduce((sum, each) => sum + each.acknowledged, 0);
  assert.equal(observed.acks.length, acknowledged);
  const messages = await admin.query<{ control_id: string; n: string }>(
    `SELECT control_id, count(*)::text AS n FROM ${schema}.inbound_message
     WHERE status = 'processed' AND control_id LIKE 'F%' GROUP BY control_id`,
  );
  const processed = new Map(messages.rows.map((row) => [row.control_id, Number(row.n)]));
  for (const [connection, each] of sent.entries())
    for (let index = 0; index < each.acknowledged; index++)
      assert.equal(processed.get(`F${connection}-${index}`), 1, `F${connection}-${index} stored once`);
  const observations = await admin.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${schema}.resource WHERE resource_type = 'Observation' AND NOT deleted`,
  );
  assert.equal(Number(observations.rows[0]!.n), acknowledged, 'one Observation per message: none twice');
  const patients = await admin.query<{ value: string; n: string }>(
    `SELECT i->>'value' AS value, count(*)::text AS n FROM ${schema}.resource r,
       jsonb_array_elements(r.content::jsonb->'identifier') i
     WHERE r.resource_type = 'Patient' AND NOT r.deleted AND i->>'system' = 'urn:faults' GROUP BY 1`,
  );
  const stored = new Map(patients.rows.map((row) => [row.value, Number(row.n)]));
  for (const value of observed.written) assert.equal(stored.get(value), 1, `Patient ${value} stored once`);
  assert.equal(stored.size, observed.written.size, 'no write that was not answered 2xx');
}

/** The event outbox and the job queue resumed: every subscriber at the end, nothing dead or stuck. */
async function assertReactionsCaughtUp(admin: SqlDatabase, schema: string): Promise<void> {
  // Subscribers that read the stream; rows used only as leases (nightly sweep, statistics
  // upkeep) never move their cursor.
  const behind = await admin.query<{ subscriber: string; n: string }>(
    `SELECT s.subscriber, count(e.seq)::text AS n FROM ${schema}.event_subscription s
       LEFT JOIN ${schema}.change_event e ON (e.tx_id, e.seq) > (s.last_tx_id, s.last_seq)
     WHERE s.last_seq > 0 GROUP BY s.subscriber`,
  );
  assert.ok(behind.rows.length >= 3, 'the reactions read the stream');
  for (const row of behind.rows) assert.equal(row.n, '0', `${row.subscriber} is at the end of the stream`);
  const jobs = await admin.query<{ status: string; n: string }>(
    `SELECT status, count(*)::text AS n FROM ${schema}.job WHERE status <> 'done' GROUP BY status`,
  );
  assert.deepEqual(jobs.rows, [], 'no job dead-lettered, waiting or stuck');
}
