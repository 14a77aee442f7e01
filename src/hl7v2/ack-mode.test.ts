import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planAcks } from './ack-mode.ts';

const error = { code: '207', message: 'bad' } as const;

test('original mode (MSH-15 and MSH-16 empty): one ACK with the outcome', () => {
  assert.deepEqual(planAcks({}, { code: 'AA' }), { first: { code: 'AA', send: true } });
  assert.deepEqual(planAcks({}, { code: 'AE', error }), { first: { code: 'AE', error, send: true } });
});

test('enhanced mode: accept ACK CA once stored, then the application ACK as MSH-16 asks', () => {
  assert.deepEqual(planAcks({ acceptAckType: 'AL', applicationAckType: 'AL' }, { code: 'AA' }), {
    first: { code: 'CA', send: true },
    application: { code: 'AA' },
  });
  assert.deepEqual(planAcks({ acceptAckType: 'AL', applicationAckType: 'NE' }, { code: 'AA' }), {
    first: { code: 'CA', send: true },
  });
  assert.deepEqual(planAcks({ acceptAckType: 'NE', applicationAckType: 'ER' }, { code: 'AE', error }), {
    first: { code: 'CA', send: false },
    application: { code: 'AE', error },
  });
  assert.equal(
    planAcks({ acceptAckType: 'AL', applicationAckType: 'ER' }, { code: 'AA' }).application,
    undefined,
  );
  assert.equal(
    planAcks({ acceptAckType: 'AL', applicationAckType: 'SU' }, { code: 'AE', error }).application,
    undefined,
  );
  assert.deepEqual(planAcks({ applicationAckType: 'AL' }, { code: 'AA' }).first, { code: 'CA', send: true });
});

test('enhanced mode: a message refused at the door gets CR and no application ACK', () => {
  assert.deepEqual(planAcks({ acceptAckType: 'AL', applicationAckType: 'AL' }, { code: 'AR', error }), {
    first: { code: 'CR', error, send: true },
  });
  assert.equal(
    planAcks({ acceptAckType: 'SU', applicationAckType: 'AL' }, { code: 'AR', error }).first.send,
    false,
  );
  assert.equal(planAcks({ acceptAckType: 'ER', applicationAckType: 'AL' }, { code: 'AA' }).first.send, false);
});
