import { testStorePerSuite } from '../testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../testing/backends.ts';
import {
  finishInboundMessage,
  getInboundMessage,
  listInboundMessages,
  recordInboundMessage,
} from './inbound-messages.ts';
import { recordReceivedMany } from './inbound-message-batch.ts';

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
  const { db } = testStorePerSuite(backend);

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

  test('a key a group commit is inserting: the one-at-a-time path waits, then answers it as a resend or a conflict', async (t) => {
    if (backend.name !== 'postgres') return t.skip('needs two connections (server PostgreSQL)');
    const key = { ...header, controlId: 'RACE-1' };
    const rawRace = Buffer.from('MSH|^~\\&|LAB|NORTH|||20260101||ORU^R01|RACE-1|P|2.5.1\r');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    const group = db.transaction(async (tx) => {
      const [row] = await recordReceivedMany(tx, [{ header: key, raw: rawRace }]);
      assert.ok(row, 'the group commit records it');
      inserted();
      await held; // the transaction stays open while the other path arrives
    });
    await insertedOnce;
    const same = db.transaction((tx) => recordInboundMessage(tx, key, rawRace));
    const different = db.transaction((tx) =>
      recordInboundMessage(tx, key, Buffer.concat([rawRace, Buffer.from('PID|1\r')])),
    );
    setTimeout(release, 100);
    await group;
    assert.equal((await same).kind, 'resend');
    assert.equal((await different).kind, 'conflict');
    const rows = await listInboundMessages(db, { controlId: 'RACE-1' });
    assert.equal(rows.length, 2, 'the original and the rejected conflict, nothing else');
  });
});
