import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupCommit } from './group-commit.ts';

/** A writer that records each batch and can be told to refuse items. */
function recorder(refuse: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const write = async (batch: number[]) => {
    await new Promise((resolve) => setImmediate(resolve));
    if (batch.some(refuse)) throw new Error(`refused ${batch.filter(refuse).join(',')}`);
    batches.push(batch);
  };
  return { batches, write };
}

test('items asked in the same turn go as one write, in order, at most maxBatch each', async () => {
  const { batches, write } = recorder();
  const append = groupCommit({ write, maxBatch: 4, retryAlone: () => true });
  await Promise.all(Array.from({ length: 10 }, (_, i) => append(i)));
  assert.deepEqual(batches, [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9],
  ]);
  await append(10);
  assert.deepEqual(batches.at(-1), [10], 'a lone item goes alone');
});

test('items asked one after another in a chain of promises still share a write', async () => {
  const { batches, write } = recorder();
  const append = groupCommit({ write, maxBatch: 100, retryAlone: () => true });
  // As deliveries woken by one answer ask their next read: each a microtask after the other.
  const asked: Promise<void>[] = [];
  await [0, 1, 2].reduce((chain, i) => chain.then(() => void asked.push(append(i))), Promise.resolve());
  await Promise.all(asked);
  assert.deepEqual(batches, [[0, 1, 2]]);
});

test('items arriving while a write is in flight share the next write', async () => {
  const { batches, write } = recorder();
  const append = groupCommit({ write, maxBatch: 100, retryAlone: () => true });
  const first = append(0);
  await new Promise((resolve) => setImmediate(resolve)); // the write of [0] has begun
  await Promise.all([first, append(1), append(2), append(3)]);
  assert.deepEqual(batches, [[0], [1, 2, 3]]);
});

test('a caller resolves only after the write that holds its item', async () => {
  const { batches, write } = recorder();
  const append = groupCommit({ write, maxBatch: 100, retryAlone: () => true });
  const order: string[] = [];
  const first = append(0).then(() => order.push(`0 after ${batches.length}`));
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all([
    first,
    ...[1, 2].map((i) => append(i).then(() => order.push(`${i} after ${batches.length}`))),
  ]);
  assert.deepEqual(order, ['0 after 1', '1 after 2', '2 after 2']);
});

test('a failed batch is written again item by item: only the bad item fails', async () => {
  const { batches, write } = recorder((item) => item === 2);
  const append = groupCommit({ write, maxBatch: 100, retryAlone: () => true });
  const results = await Promise.allSettled([0, 1, 2, 3].map((i) => append(i)));
  assert.deepEqual(
    results.map((result) => result.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(batches, [[0], [1], [3]]);
});

test('a failure that may have committed fails every caller of its batch, and is not written again', async () => {
  const { batches, write } = recorder((item) => item === 2);
  const append = groupCommit({ write, maxBatch: 100, retryAlone: () => false });
  const results = await Promise.allSettled([0, 1, 2, 3].map((i) => append(i)));
  assert.deepEqual(
    results.map((result) => result.status),
    ['rejected', 'rejected', 'rejected', 'rejected'],
  );
  assert.deepEqual(batches, []);
});
