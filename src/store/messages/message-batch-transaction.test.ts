import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle } from '@medplum/fhirtypes';
import { describeEachBackend } from '../testing/backends.ts';
import { testStorePerSuite } from '../testing/open-test-store.ts';
import { getInboundMessage } from './inbound-messages.ts';
import { recordReceivedMany } from './inbound-message-batch.ts';
import { messageBatchTransaction } from './message-batch-transaction.ts';

const headerOf = (controlId: string) => ({
  sendingApplication: 'LAB',
  sendingFacility: 'NORTH',
  controlId,
  messageType: 'ADT',
  triggerEvent: 'A04',
  version: '2.5.1',
});
const rawOf = (controlId: string) =>
  Buffer.from(`MSH|^~\\&|LAB|NORTH|||20260101||ADT^A04|${controlId}|P|2.5.1\r`);

const patientBundle = (family: string): Bundle => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    {
      resource: { resourceType: 'Patient', name: [{ family }] },
      request: { method: 'POST', url: 'Patient' },
    },
  ],
});

describeEachBackend('message batch transaction', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  test('a marked transaction writes each message outcome with the Bundle; the plain one does not', async () => {
    const [marked, plain] = await db.transaction(async (tx) => {
      const recorded = await recordReceivedMany(tx, [
        { header: headerOf('MARK-1'), raw: rawOf('MARK-1') },
        { header: headerOf('PLAIN-1'), raw: rawOf('PLAIN-1') },
      ]);
      const [first, second] = recorded.map((row) => row!.id);
      const ack = Buffer.from('MSA|AA|MARK-1\r');
      const batchTx = messageBatchTransaction(tx, {
        criteriaLocked: false,
        outcomesOf: (responses) => [
          { id: first!, status: 'processed', ack, resources: [responses[0]!.response!.location!] },
        ],
      });
      await repo.processBundle(patientBundle('Marked'), { transaction: batchTx });
      await repo.processBundle(patientBundle('Plain'), { transaction: tx });
      return [first!, second!];
    });
    const stored = await getInboundMessage(db, marked);
    assert.equal(stored.status, 'processed');
    assert.match(stored.resources[0] ?? '', /^Patient\/[^/]+\/_history\/1$/);
    assert.equal((await getInboundMessage(db, plain)).status, 'received');
  });
});
