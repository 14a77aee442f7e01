import { test } from 'node:test';
import assert from 'node:assert/strict';
import { damerauLevenshtein, withinEdits } from './string-distance.ts';

test('one edit of each kind counts as one; a transposition is one edit, not two', () => {
  assert.equal(damerauLevenshtein('martha', 'martha'), 0);
  assert.equal(damerauLevenshtein('martha', 'marta'), 1);
  assert.equal(damerauLevenshtein('martha', 'marhta'), 1);
  assert.equal(damerauLevenshtein('smith', 'smyth'), 1);
  assert.equal(damerauLevenshtein('1988-04-12', '1988-04-21'), 1);
  assert.equal(damerauLevenshtein('', 'abc'), 3);
  assert.equal(damerauLevenshtein('kitten', 'sitting'), 3);
});

test('the limit stops early but never turns a far pair into a near one', () => {
  assert.equal(withinEdits('jonathan', 'jonathon', 1), true);
  assert.equal(withinEdits('jonathan', 'nathan', 1), false);
  assert.ok(damerauLevenshtein('alexander', 'zhang', 2) > 2);
});
