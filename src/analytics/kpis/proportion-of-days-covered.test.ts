import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  coverageOf,
  dayNumber,
  fillDaysOf,
  proportionOfDaysCovered,
  type Fill,
} from './proportion-of-days-covered.ts';

const year = { start: '2026-01-01', end: '2026-12-31' };
const fills = (...each: [string, number][]): Fill[] =>
  each.map(([date, daysSupply]) => ({ date, daysSupply }));

test('two 30-day fills in January cover 60 of the 365 days from the index date', () => {
  const result = proportionOfDaysCovered(fills(['2026-01-01', 30], ['2026-01-31', 30]), year);
  assert.deepEqual(
    { ...result, pdc: Number(result.pdc.toFixed(4)) },
    {
      eligible: true,
      index: '2026-01-01',
      treatmentDays: 365,
      coveredDays: 60,
      pdc: 0.1644,
      adherent: false,
    },
  );
});

test('a refill bought early starts when the last one runs out (Oct 1–30, then Oct 31–Nov 29)', () => {
  const result = proportionOfDaysCovered(fills(['2026-10-01', 30], ['2026-10-20', 30]), year);
  assert.deepEqual([result.treatmentDays, result.coveredDays], [92, 60]);
});

test('monthly refills on time cover every day to the period end (the last one cut at Dec 31): adherent', () => {
  const onTime = fills(
    ['2026-09-01', 30],
    ['2026-10-01', 30],
    ['2026-10-31', 30],
    ['2026-11-30', 30],
    ['2026-12-30', 30],
  );
  const result = proportionOfDaysCovered(onTime, year);
  assert.deepEqual(
    [result.treatmentDays, result.coveredDays, result.pdc, result.adherent],
    [122, 122, 1, true],
  );
});

test('one missed refill leaves a 30-day gap: 92 of 122 days (75%) is below 80%', () => {
  const gap = fills(['2026-09-01', 30], ['2026-10-01', 30], ['2026-11-30', 30], ['2026-12-30', 30]);
  const result = proportionOfDaysCovered(gap, year);
  assert.deepEqual([result.coveredDays, result.adherent], [92, false]);
  assert.equal(Number(result.pdc.toFixed(3)), 0.754);
});

test('fills on one day count once, with the longest supply', () => {
  const result = proportionOfDaysCovered(
    fills(['2026-10-01', 30], ['2026-10-01', 90], ['2026-12-01', 30]),
    year,
  );
  assert.deepEqual([result.treatmentDays, result.coveredDays, result.adherent], [92, 92, true]);
  assert.equal(proportionOfDaysCovered(fills(['2026-10-01', 30], ['2026-10-01', 30]), year).eligible, false);
});

test('the denominator: two fills on different days, the first at least 91 days before the end', () => {
  assert.equal(proportionOfDaysCovered(fills(['2026-03-01', 30]), year).eligible, false, 'one fill');
  assert.equal(proportionOfDaysCovered(fills(['2026-10-01', 30], ['2026-11-01', 30]), year).eligible, true);
  assert.equal(
    proportionOfDaysCovered(fills(['2026-10-02', 30], ['2026-11-01', 30]), year).eligible,
    false,
    '90 days before the end',
  );
});

test('supply from before the period does not count; the index date is the first fill in it', () => {
  const result = proportionOfDaysCovered(
    fills(['2025-12-20', 90], ['2026-09-01', 30], ['2026-10-01', 30]),
    year,
  );
  assert.deepEqual([result.index, result.treatmentDays, result.coveredDays], ['2026-09-01', 122, 60]);
});

test("one pair's fills as day numbers measure each rolling period on their own (fills outside it, same day twice)", () => {
  const pair = fillDaysOf(
    fills(['2025-11-15', 30], ['2026-02-01', 30], ['2026-02-01', 60], ['2026-04-01', 30], ['2026-07-01', 0]),
  );
  assert.deepEqual(pair.supplies, [30, 60, 30], 'one fill a day, the longest; none without supply');
  const measured = (start: string, end: string) => {
    const result = coverageOf(pair, { first: dayNumber(start), last: dayNumber(end) });
    return [result.eligible, result.index, result.coveredDays, result.treatmentDays];
  };
  assert.deepEqual(measured('2025-07-01', '2026-06-30'), [true, '2025-11-15', 120, 228]);
  assert.deepEqual(measured('2026-01-01', '2026-12-31'), [true, '2026-02-01', 90, 334]);
  assert.deepEqual(measured('2025-01-01', '2025-12-31'), [false, undefined, 0, 0], 'one fill in it');
});
