import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { patientToken, staffToken, systemClientToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const ORU = (controlId: string, mrn: string) =>
  `MSH|^~\\&|LAB|HOSP|TL|C|20261123||ORU^R01^ORU_R01|${controlId}|P|2.5\r` +
  `PID|1||${mrn}^^^HOSP^MR||Victim^Val||19800101|F\r` +
  `OBR|1||${controlId}|4548-4^HbA1c^LN\r` +
  `OBX|1|NM|4548-4^HbA1c^LN||13.9|%|||||F\r`;

/**
 * Issue #12: the HL7 v2 routes admitted any token with a `*` create scope, so a patient read
 * every raw message and injected a lab result for someone else. Only system clients with the
 * integration or admin role reach them now.
 */
describe('HL7 v2 routes are for integration clients only', () => {
  let platform: TestPlatform;
  let messageId = '';
  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
    const ack = await platform.fetch('/hl7v2', {
      method: 'POST',
      headers: { 'content-type': 'x-application/hl7-v2+er7' },
      body: ORU('SEED-1', 'V-1'),
    });
    assert.match(await ack.text(), /MSA\|AA\|SEED-1/);
    const listed = await platform.fetch('/api/hl7v2/messages');
    messageId = ((await listed.json()) as { messages: { id: string }[] }).messages[0]!.id;
  });
  after(() => platform.stop());

  const systemToken = (clientId: string, roles: string[]) =>
    systemClientToken(platform, { clientId, roles, scopes: ['system/*.cruds'] });

  /** Every HL7 v2 route, as the given token: the statuses in order. */
  const statuses = async (token: string) => [
    (await platform.fetch('/api/hl7v2/messages', { token })).status,
    (await platform.fetch(`/api/hl7v2/messages/${messageId}`, { token })).status,
    (await platform.fetch(`/api/hl7v2/messages/${messageId}/reprocess`, { method: 'POST', token })).status,
    (
      await platform.fetch('/hl7v2', {
        method: 'POST',
        token,
        headers: { 'content-type': 'x-application/hl7-v2+er7' },
        body: ORU('INJECT-1', 'V-1'),
      })
    ).status,
  ];

  test('a patient token is refused on every route and injects nothing', async () => {
    const attacker = { resourceType: 'Patient', name: [{ family: 'Attacker' }] };
    const patient = await platform.create(attacker);
    const token = await patientToken(platform, patient);
    assert.deepEqual(await statuses(token), [403, 403, 403, 403]);
    const stored = await platform.db.query(`SELECT 1 FROM inbound_message WHERE control_id = 'INJECT-1'`);
    assert.equal(stored.rows.length, 0, 'the injected message was never stored');
  });

  test('staff users are refused, even an administrator (a person, not an integration)', async () => {
    for (const role of ['nurse', 'physician', 'admin', 'integration'])
      assert.deepEqual(await statuses(await staffToken(platform, role)), [403, 403, 403, 403], role);
  });

  test('a system client without the integration or admin role is refused', async () => {
    assert.deepEqual(await statuses(await systemToken('nurse-station', ['nurse'])), [403, 403, 403, 403]);
  });

  test('a system client with the integration role reaches every route', async () => {
    const [list, one, reprocess, post] = await statuses(await systemToken('lab-feed', ['integration']));
    assert.deepEqual([list, one, post], [200, 200, 200]);
    assert.equal(reprocess, 409, 'reached the route: a processed message is not reprocessed');
  });

  test('bad query parameters answer 400 with an OperationOutcome naming the parameter', async () => {
    for (const [query, parameter] of [
      ['limit=abc', 'limit'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=1.5', 'limit'],
      ['before=xyz', 'before'],
      ['status=bogus', 'status'],
    ] as const) {
      const response = await platform.fetch(`/api/hl7v2/messages?${query}`);
      assert.equal(response.status, 400, query);
      const outcome = (await response.json()) as OperationOutcome;
      assert.equal(outcome.resourceType, 'OperationOutcome');
      assert.deepEqual(outcome.issue[0]?.expression, [parameter], query);
    }
    assert.equal((await platform.fetch('/api/hl7v2/messages?limit=1000&status=processed')).status, 200);
  });
});
