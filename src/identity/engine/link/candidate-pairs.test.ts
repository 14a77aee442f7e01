import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidatePairs } from './candidate-pairs.ts';

const asList = ({ left, right }: { left: Uint32Array; right: Uint32Array }) =>
  [...left].map((i, n) => `${i}-${right[n]}`).sort();

test('records sharing any key are paired once, in index order', () => {
  const pairs = candidatePairs([['a', 'b'], ['a', 'b'], ['c'], ['b', 'c']]);
  assert.deepEqual(asList(pairs), ['0-1', '0-3', '1-3', '2-3']);
});

test('blocks over the size limit are skipped, and one side is never paired with itself', () => {
  assert.deepEqual(asList(candidatePairs([['x'], ['x'], ['x']], { maxBlockSize: 2 })), []);
  const sides = ['a', 'a', 'b'];
  const pairs = candidatePairs([['k'], ['k'], ['k']], { sideOf: (i) => sides[i] });
  assert.deepEqual(asList(pairs), ['0-2', '1-2']);
});
