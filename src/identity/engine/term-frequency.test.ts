import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countValues, shareOf, termFrequencyAdjustment } from './term-frequency.ts';

const surnames = countValues(['smith', 'smith', 'smith', 'smith', 'okonkwo', 'lee', 'lee', '', 'nguyen']);

test('counts skip empty values and give shares of the records that have one', () => {
  assert.equal(surnames.total, 8);
  assert.equal(shareOf(surnames, 'smith'), 0.5);
  assert.equal(shareOf(surnames, 'never-seen'), 1 / 8);
});

test('a match on a common name weighs less than on a rare one, and the average stays put', () => {
  const uExact = 0.25;
  assert.ok(termFrequencyAdjustment(uExact, surnames, 'smith') < 0);
  assert.ok(termFrequencyAdjustment(uExact, surnames, 'okonkwo') > 0);
  assert.equal(termFrequencyAdjustment(0.5, surnames, 'smith'), 0);
});
