import assert from 'node:assert/strict';
import { test } from 'node:test';
import { whenWords } from './when-words.ts';

// Local times on both sides, so the words hold in any time zone the tests run in.
const at = (day: number, time: [hour: number, minute: number], monthYear: [number, number] = [11, 2026]) =>
  new Date(monthYear[1], monthYear[0], day, time[0], time[1]);
const now = at(6, [15, 30]); // Sunday 6 Dec 2026, 15:30

test('recent messages read in minutes, the rest of today and yesterday by the clock', () => {
  const cases: [Date, string][] = [
    [at(6, [15, 30]), 'just now'],
    [at(6, [15, 18]), '12 min ago'],
    [at(6, [9, 14]), 'today at 09:14'],
    [at(6, [0, 5]), 'today at 00:05'],
    [at(5, [23, 50]), 'yesterday at 23:50'],
    [at(5, [16, 2]), 'yesterday at 16:02'],
  ];
  for (const [date, words] of cases) assert.equal(whenWords(date.toISOString(), now), words);
});

test('within the week by weekday; older by date, with the year only when it is not this one', () => {
  assert.equal(whenWords(at(1, [10, 30]).toISOString(), now), 'Tuesday at 10:30');
  assert.equal(whenWords(at(29, [8, 0], [10, 2026]).toISOString(), now), '29 Nov at 08:00');
  assert.equal(whenWords(at(20, [8, 0], [11, 2025]).toISOString(), now), '20 Dec 2025 at 08:00');
});

test('a clock a little ahead is not "in the future"; nothing or nonsense is not a date', () => {
  assert.equal(whenWords(at(6, [15, 32]).toISOString(), now), 'just now');
  assert.equal(whenWords(undefined, now), '—');
  assert.equal(whenWords('soon', now), 'soon');
});
