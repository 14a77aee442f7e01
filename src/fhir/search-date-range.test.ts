import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDateRange } from './search-date-range.ts';
import { escapeLike, normalizeSearchString } from './search-normalize.ts';

const iso = (value: string): [string, string] | undefined => {
  const range = parseDateRange(value);
  return range && [new Date(range.low).toISOString(), new Date(range.high).toISOString()];
};

test('implicit ranges follow the precision given', () => {
  assert.deepEqual(iso('2020'), ['2020-01-01T00:00:00.000Z', '2020-12-31T23:59:59.999Z']);
  assert.deepEqual(iso('2024-02'), ['2024-02-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z']);
  assert.deepEqual(iso('2024-03-01'), ['2024-03-01T00:00:00.000Z', '2024-03-01T23:59:59.999Z']);
  assert.deepEqual(iso('2024-03-01T10:00'), ['2024-03-01T10:00:00.000Z', '2024-03-01T10:00:59.999Z']);
  assert.deepEqual(iso('2024-03-01T10:00:05+02:00'), [
    '2024-03-01T08:00:05.000Z',
    '2024-03-01T08:00:05.999Z',
  ]);
  assert.deepEqual(iso('2024-03-01T10:00:05.25Z'), ['2024-03-01T10:00:05.250Z', '2024-03-01T10:00:05.250Z']);
});

test('invalid dates are refused', () => {
  for (const value of ['2020-13', '2021-02-29', '2020-01-01T25:00', 'today', '20200101', '2020-1-1']) {
    assert.equal(parseDateRange(value), undefined, value);
  }
});

test('strings normalize to lower case without accents; LIKE wildcards are escaped', () => {
  assert.equal(normalizeSearchString('Ramírez Çelik ÅSE'), 'ramirez celik ase');
  assert.equal(normalizeSearchString('Smith'), 'smith');
  assert.equal(escapeLike('50%_a\\b'), '50\\%\\_a\\\\b');
});
