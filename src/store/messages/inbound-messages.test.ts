import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../testing/backends.ts';
import type { SqlDatabase } from '../sql/database.ts';
import {
  finishInboundMessage,
  getInboundMessage,
  listInboundMessages,
  recordInboundMessage,
} from './inbound-messages.ts';

const header = {
  sendingApplication: 'LAB',
  sendingFacility: 'NORTH',
  controlId: 'MSG-1',
  messageType: 'ORU',
  triggerEvent: 'R01',
  version: '2.5.1',
};
const raw = Buffer.from('MSH|^~\\&|LAB|NORTH|||20260101||ORU^R01|MSG-1|P|2.5.1\r');

describeEachBackend('inbound message store', (backend) => {
  let db: SqlDatabase;
  before(async () => {
    db = await backend.open();
  });
  after(() => db.close());

  test('keeps exact bytes; a resend is recognised and returns the stored ACK byte for byte', async () => {
    const first = await db.transaction((tx) => recordInboundMessage(tx, header, raw));
    assert.equal(first.kind, 'new');
    const ack = Buffer.from('MSH|^~\\&|...|ACK\rMSA|AA|MSG-1\r\u00e9', 'latin1');
    await finishInboundMessage(db, first.message.id, {
      status: 'processed',
      ack,
      resources: ['Observation/1'],
    });
    const again = await db.transaction((tx) => recordInboundMessage(tx, header, raw));
    assert.equal(again.kind, 'resend');
    assert.ok(again.message.ack?.equals(ack));
    assert.deepEqual(again.message.resources, ['Observation/1']);
    assert.ok((await getInboundMessage(db, first.message.id)).raw.equals(raw));
  });

  test('same key with different content is rejected, kept, and points at the original', async () => {
    const original = await db.transaction((tx) =>
      recordInboundMessage(tx, { ...header, controlId: 'MSG-2' }, raw),
    );
    const changed = Buffer.concat([raw, Buffer.from('PID|1\r')]);
    const result = await db.transaction((tx) =>
      recordInboundMessage(tx, { ...header, controlId: 'MSG-2' }, changed),
    );
    assert.equal(result.kind, 'conflict');
    assert.equal(result.message.status, 'rejected');
    assert.equal(result.message.duplicateOf, original.message.id);
  });

  test('failed messages form the dead-letter list', async () => {
    const result = await db.transaction((tx) =>
      recordInboundMessage(tx, { ...header, controlId: 'MSG-3' }, raw),
    );
    await finishInboundMessage(db, result.message.id, { status: 'failed', error: 'PID-3 missing' });
    const failed = await listInboundMessages(db, { status: 'failed' });
    assert.deepEqual(
      failed.map((message) => message.error),
      ['PID-3 missing'],
    );
  });
});
