import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clinicTime } from './clinic-time.ts';

const now = new Date('2026-12-06T20:30:00Z');

test('a time reads in the clinic zone, the day relative to today where that is shorter', () => {
  const cases: [string, string | undefined, string][] = [
    ['2026-12-06T14:05:00Z', 'UTC', 'Today 14:05'],
    ['2026-12-05T09:12:00Z', 'UTC', 'Yesterday 09:12'],
    ['2026-12-07T08:00:00Z', 'UTC', 'Tomorrow 08:00'],
    ['2026-12-03T09:12:00Z', 'UTC', '3 Dec 09:12'],
    ['2025-12-03T09:12:00Z', 'UTC', '3 Dec 2025 09:12'],
    // 20:30 UTC is already tomorrow in Auckland (UTC+13): "today" is the clinic's day.
    ['2026-12-06T20:22:00Z', 'Pacific/Auckland', 'Today 09:22'],
    ['2026-12-06T10:00:00Z', 'Pacific/Auckland', 'Yesterday 23:00'],
    ['2026-07-01T12:00:00Z', 'Europe/Berlin', '1 Jul 14:00'],
  ];
  for (const [value, zone, expected] of cases)
    assert.equal(clinicTime(value, { zone, now }), expected, `${value} in ${zone}`);
});

test('no time reads as a dash; what is not a time is left as it came', () => {
  assert.equal(clinicTime(undefined, { now }), '—');
  assert.equal(clinicTime('soon', { now }), 'soon');
});
