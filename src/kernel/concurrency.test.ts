import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachConcurrently } from './concurrency.ts';

test('runs every item, never more than the limit at once', async () => {
  let running = 0;
  let most = 0;
  const done: number[] = [];
  await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    running++;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 5 * (n % 3)));
    done.push(n);
    running--;
  });
  assert.deepEqual(
    done.sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7],
  );
  assert.equal(most, 3);
});

test('a failure is thrown after the others have settled', async () => {
  const done: number[] = [];
  await assert.rejects(
    forEachConcurrently([1, 2, 3, 4], 2, async (n) => {
      if (n === 1) throw new Error('one failed');
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(n);
    }),
    /one failed/,
  );
  assert.deepEqual(done, [2, 3, 4]);
});
