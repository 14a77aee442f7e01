import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMllpDecoder, encodeFrame } from './mllp-framing.ts';

test('frames split across chunks, several per chunk, garbage between, oversized skipped', () => {
  const decoder = createMllpDecoder(1000);
  const stream = Buffer.concat([
    encodeFrame('MSH|one'),
    Buffer.from('noise'),
    encodeFrame('MSH|two'),
    encodeFrame('x'.repeat(5000)),
    encodeFrame('MSH|three'),
  ]);
  const events = [];
  for (let at = 0; at < stream.length; at += 7) events.push(...decoder.push(stream.subarray(at, at + 7)));
  const frames = events
    .filter((event) => event.kind === 'frame')
    .map((event) => (event.kind === 'frame' ? event.payload.toString() : ''));
  assert.deepEqual(frames, ['MSH|one', 'MSH|two', 'MSH|three']);
  assert.ok(events.some((event) => event.kind === 'garbage'));
  assert.ok(events.some((event) => event.kind === 'oversized' && event.bytes === 5000));
  const oversized = events.find((event) => event.kind === 'oversized');
  assert.ok(
    oversized?.kind === 'oversized' && oversized.head.toString().startsWith('xxxx'),
    'its first bytes are kept',
  );
  assert.equal(decoder.pending(), 0);
});

test('inFrame: from <VT> to <FS>, also while an oversized frame is skipped (the transport times frames by it)', () => {
  const decoder = createMllpDecoder(4);
  assert.equal(decoder.inFrame(), false);
  decoder.push(Buffer.from([0x0b]));
  assert.equal(decoder.inFrame(), true);
  decoder.push(Buffer.from('MSH|too long'));
  assert.equal(decoder.inFrame(), true);
  assert.equal(decoder.pending(), 0, 'an oversized frame is never buffered');
  decoder.push(Buffer.from([0x1c, 0x0d]));
  assert.equal(decoder.inFrame(), false);
});
