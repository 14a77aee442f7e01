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

/** The textbook full-matrix version, to check the banded one against. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

test('the banded distance agrees with the full matrix on random strings, for every limit', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const word = () =>
    Array.from({ length: Math.floor(random() * 9) }, () => 'abc'[Math.floor(random() * 3)]).join('');
  for (let n = 0; n < 3000; n++) {
    const [a, b] = [word(), word()];
    const exact = reference(a, b);
    assert.equal(damerauLevenshtein(a, b), exact, `${a} ${b}`);
    for (const limit of [0, 1, 2, 3])
      assert.equal(damerauLevenshtein(a, b, limit), Math.min(exact, limit + 1));
  }
});
