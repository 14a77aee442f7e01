import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../store/testing/backends.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const HL7 = { 'content-type': 'x-application/hl7-v2+er7' };
const msh = (type: string, controlId: string) =>
  `MSH|^~\\&|LAB|HOSP|TL|C|20261123||${type}|${controlId}|P|2.5`;
const PID = 'PID|1||C-77^^^HOSP^MR||Console^Carla||19800101|F';
const ORU = `${msh('ORU^R01^ORU_R01', 'OK-1')}\r${PID}\rOBR|1||OK-1|4548-4^HbA1c^LN\rOBX|1|NM|4548-4^HbA1c^LN||61.25|mmol/mol|||||F\r`;
const UNKNOWN = `${msh('ZZZ^Z01', 'BAD-1')}\r${PID}\r`;

interface Outline {
  id: string;
  controlId?: string;
  status: string;
  error?: string;
  attempts: number;
  segments: string[];
  raw?: unknown;
  ack?: unknown;
}

/**
 * Issue 19's integration page: an administrator sees the message store (what failed and why)
 * and reprocesses a failed message from the staff app, never the raw bytes (they name every
 * patient and carry results beyond the administrator's labels); every look is audited.
 */
describe('the integration console: the message store for an administrator, without raw bytes', () => {
  let platform: TestPlatform;
  let admin = '';
  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
    for (const body of [ORU, UNKNOWN]) await platform.fetch('/hl7v2', { method: 'POST', headers: HL7, body });
    admin = await staffToken(platform, 'admin');
  });
  after(() => platform.stop());

  const list = async (query = '') => {
    const response = await platform.fetch(`/api/integration/messages${query}`, { token: admin });
    assert.equal(response.status, 200);
    return ((await response.json()) as { messages: Outline[] }).messages;
  };

  test('lists messages with status, error and segment outline, and no raw bytes or ACK', async () => {
    const failed = await list('?status=failed');
    const bad = failed.find((message) => message.controlId === 'BAD-1');
    assert.ok(bad, 'the failed message is listed');
    assert.match(bad.error ?? '', /\S/, 'with the reason it failed');
    assert.deepEqual(bad.segments, ['MSH', 'PID']);
    const all = await list();
    assert.ok(all.some((message) => message.controlId === 'OK-1' && message.status === 'processed'));
    for (const message of all) assert.deepEqual([message.raw, message.ack], [undefined, undefined]);
    const text = JSON.stringify(all);
    // 61.25: a result value no other field can hold by chance (a time's seconds stop at 59; the
    // old 6.1 matched a receivedAt such as 13:34:16.194).
    assert.doesNotMatch(text, /Console|19800101|61\.25/, 'no value of any segment');
  });

  test('reprocesses a failed message (another attempt); a processed one is a 409', async () => {
    const bad = (await list('?status=failed')).find((message) => message.controlId === 'BAD-1')!;
    const response = await platform.fetch(`/api/integration/messages/${bad.id}/reprocess`, {
      method: 'POST',
      token: admin,
    });
    assert.equal(response.status, 200);
    const after = (await response.json()) as Outline;
    assert.equal(after.attempts, bad.attempts + 1);
    assert.equal(after.status, 'failed', 'an unknown message type fails again, with its reason');
    const ok = (await list()).find((message) => message.controlId === 'OK-1')!;
    const again = await platform.fetch(`/api/integration/messages/${ok.id}/reprocess`, {
      method: 'POST',
      token: admin,
    });
    assert.equal(again.status, 409);
  });

  test('bad input is a 400 naming the parameter', async () => {
    const status = await platform.fetch('/api/integration/messages?status=lost', { token: admin });
    assert.equal(status.status, 400);
    const outbound = await platform.fetch('/api/integration/outbound?status=lost', { token: admin });
    assert.equal(outbound.status, 400);
    const id = await platform.fetch('/api/integration/messages/x1/reprocess', {
      method: 'POST',
      token: admin,
    });
    assert.equal(id.status, 400);
  });

  test('every list and reprocess is audited as the administrator', async () => {
    const rows = await platform.db.query<{ action: string; principal_kind: string }>(
      `SELECT action, principal_kind FROM audit_log WHERE action LIKE 'hl7v2-%'`,
    );
    const actions = new Set(rows.rows.map((row) => row.action));
    assert.ok(
      actions.has('hl7v2-message-list') && actions.has('hl7v2-message-reprocess'),
      [...actions].join(),
    );
    assert.ok(rows.rows.every((row) => row.principal_kind === 'user'));
  });

  test('other staff roles and patients are refused', async () => {
    const curious = { resourceType: 'Patient', name: [{ family: 'Curious' }] };
    const patient = await platform.create(curious);
    const tokens = [
      ...(await Promise.all(
        ['nurse', 'front-desk', 'care-coordinator'].map((role) => staffToken(platform, role)),
      )),
      await patientToken(platform, patient),
    ];
    for (const token of tokens) {
      assert.equal((await platform.fetch('/api/integration/messages', { token })).status, 403);
      assert.equal((await platform.fetch('/api/integration/outbound', { token })).status, 403);
    }
  });
});
