import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { postgresSkipReason } from '../store/testing/backends.ts';
import { PURPOSE_SYSTEM } from '../engagement/index.ts';
import {
  prepareServerProcess,
  startServerProcess,
  waitUntilReady,
  type ServerProcess,
} from './testing/server-process.ts';
import { startTwilioServer, twilioEnv } from '../engagement/testing/twilio-server.ts';

/**
 * The reliability promise of outreach: kill the platform with SIGKILL in the middle of a
 * batch of due reminders, start it again; every reminder is delivered, and no patient gets a
 * message twice — a send in flight at the kill is found open again, and looked up at the
 * Twilio-compatible server (which, like Twilio, does not deduplicate) before it is sent again
 * (`engagement/engine/send-once.ts`). Server PostgreSQL
 * only: the durability of a real database is under test.
 */
const account = { accountSid: 'ACcrash0000000000000000000000000000', authToken: 'crash-token' };
const COUNT = 120;

async function adminToken(base: string): Promise<string> {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'crash',
      client_secret: 'crash-secret',
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** COUNT distinct people (identity must not link them), each with a reminder due now. */
function batch(): Bundle {
  const entry: BundleEntry[] = [];
  for (let i = 0; i < COUNT; i++) {
    const patient = `urn:uuid:${randomBytes(16)
      .toString('hex')
      .replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5')}`;
    entry.push({
      fullUrl: patient,
      request: { method: 'POST', url: 'Patient' },
      resource: {
        resourceType: 'Patient',
        name: [
          { family: `Kx${randomBytes(4).toString('hex')}`, given: [`G${randomBytes(3).toString('hex')}`] },
        ],
        birthDate: `19${String(10 + (i % 80)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        telecom: [{ system: 'phone', use: 'mobile', value: `+1444${String(1000000 + i).slice(1)}` }],
      },
    });
    entry.push({
      request: { method: 'POST', url: 'CommunicationRequest' },
      resource: {
        resourceType: 'CommunicationRequest',
        status: 'active',
        category: [{ coding: [{ system: PURPOSE_SYSTEM, code: 'appointment-reminder' }] }],
        medium: [
          {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'SMSWRIT' },
            ],
          },
        ],
        recipient: [{ reference: patient }],
        subject: { reference: patient },
        payload: [{ contentString: `Reminder ${i}` }],
        occurrenceDateTime: new Date().toISOString(),
      },
    });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/**
 * Polls `state` until it says `settled`, failing only when it has not changed for STALLED_MS:
 * how long the deliveries take depends on the machine's load (seconds alone, minutes at load
 * 40), a stall does not. Longer than anything the restarted process may wait out before it
 * moves: the killed one's event lease (60 s, `store/jobs/background-worker.ts`) and job leases.
 */
const STALLED_MS = 180_000;
async function untilSettled(state: () => Promise<string>, server: ServerProcess): Promise<void> {
  let [last, since] = ['', performance.now()];
  for (let now = await state(); now !== 'settled'; now = await state()) {
    if (now !== last) [last, since] = [now, performance.now()];
    else if (performance.now() - since > STALLED_MS)
      throw new Error(`delivery stalled for ${STALLED_MS} ms at ${now}:\n${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The timeout only guards against a hang: two process starts (up to READY_WITHIN_MS each,
// `waitUntilReady`) and deliveries that keep moving fit in it at load 50.
test(
  'SIGKILL mid-batch: every due reminder is delivered once, none twice',
  { skip: postgresSkipReason, timeout: 900_000 },
  async () => {
    // As Twilio itself, no deduplication on our key: a send repeated after the crash would be a second SMS.
    const twilio = await startTwilioServer(account, { delayMs: 150, deduplicates: false });
    const { env, port, base, schema, admin, drop } = await prepareServerProcess({
      schemaPrefix: 'ecrash',
      extra: {
        ...twilioEnv(account, twilio.url, '+15550001111'),
        QUIET_HOURS: 'off',
        JOB_LEASE_SECONDS: '3',
      },
    });
    // Start-up with migrations on a loaded machine (load 30) took over the default 30 s.
    const ready = (server: ServerProcess) => waitUntilReady(server, { port });
    let server = startServerProcess(env);
    try {
      await ready(server);
      const token = await adminToken(base);
      const posted = await fetch(`${base}/fhir`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(batch()),
      });
      assert.equal(posted.status, 200, await posted.clone().text());
      while (twilio.accepted.length < 30) await new Promise((resolve) => setTimeout(resolve, 10));
      server.process.kill('SIGKILL');
      await once(server.process, 'exit');
      const atKill = twilio.accepted.length;
      assert.ok(atKill < COUNT, `killed mid-batch after ${atKill} sends`);
      server = startServerProcess(env);
      await ready(server);
      const open = async () =>
        Number(
          (
            await admin.query<{ n: string }>(
              `SELECT count(*)::text AS n FROM ${schema}.job WHERE queue = 'engagement:deliver' AND status IN ('ready', 'running')`,
            )
          ).rows[0]!.n,
        );
      await untilSettled(async () => {
        const [jobs, sent] = [await open(), twilio.accepted.length];
        if (jobs === 0 && sent >= COUNT) return 'settled';
        return `${sent} sent, ${twilio.lookups} looked up, ${jobs} jobs open`;
      }, server);
      server.process.kill('SIGTERM');
      await once(server.process, 'exit');
      const perNumber = new Map<string, number>();
      for (const message of twilio.accepted) perNumber.set(message.to, (perNumber.get(message.to) ?? 0) + 1);
      assert.equal(perNumber.size, COUNT, 'every patient got their reminder');
      assert.deepEqual(
        [...perNumber.values()].filter((n) => n > 1),
        [],
        'nobody got one twice',
      );
      const statuses = await admin.query<{ status: string; n: string }>(
        `SELECT content::jsonb->>'status' AS status, count(*)::text AS n FROM ${schema}.resource WHERE resource_type = 'CommunicationRequest' AND NOT deleted GROUP BY 1`,
      );
      assert.deepEqual(statuses.rows, [{ status: 'completed', n: String(COUNT) }]);
      console.log(
        `# killed after ${atKill} of ${COUNT} sends; ${twilio.lookups} sends found open looked up at the provider`,
      );
    } finally {
      // A failed check leaves the restarted process running: it would hold the test file open.
      if (server.process.exitCode === null && server.process.signalCode === null) {
        server.process.kill('SIGKILL');
        await once(server.process, 'exit');
      }
      await drop();
      await twilio.close();
    }
  },
);
