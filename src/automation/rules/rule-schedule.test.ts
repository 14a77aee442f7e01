import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latestOccurrence, localTime, nextOccurrences, scheduleProblem } from './rule-schedule.ts';

const berlin = (rrule: string) => ({ rrule, zone: 'Europe/Berlin' });
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

test('08:00 local stays 08:00 local across the spring DST change (the UTC hour moves)', () => {
  const daily = berlin('FREQ=DAILY;BYHOUR=8');
  const next = nextOccurrences(daily, { after: new Date('2026-03-27T12:00:00Z'), count: 3 });
  assert.deepEqual(iso(next), [
    '2026-03-28T07:00:00.000Z', // CET, UTC+1
    '2026-03-29T06:00:00.000Z', // CEST, UTC+2
    '2026-03-30T06:00:00.000Z',
  ]);
  assert.deepEqual(
    next.map((at) => localTime(at, 'Europe/Berlin').slice(11, 16)),
    ['08:00', '08:00', '08:00'],
  );
});

test('the latest occurrence owed at an instant: none before 08:00 local, this morning after', () => {
  const weekly = { rrule: 'RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8', zone: 'America/New_York' };
  // Monday 2026-03-09, the day after the US spring change: 08:00 EDT is 12:00Z.
  assert.equal(
    latestOccurrence(weekly, new Date('2026-03-09T11:59:59Z'))?.toISOString(),
    '2026-03-02T13:00:00.000Z',
  );
  assert.equal(
    latestOccurrence(weekly, new Date('2026-03-09T12:00:00Z'))?.toISOString(),
    '2026-03-09T12:00:00.000Z',
  );
});

test('a time the spring change skips fires once, at the jump; a time the autumn change repeats fires once', () => {
  const early = berlin('FREQ=DAILY;BYHOUR=2;BYMINUTE=30');
  const spring = nextOccurrences(early, { after: new Date('2026-03-28T12:00:00Z'), count: 2 });
  assert.deepEqual(iso(spring), ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  const autumn = nextOccurrences(early, { after: new Date('2026-10-24T12:00:00Z'), count: 2 });
  assert.equal(autumn.length, 2);
  assert.equal(autumn[1]!.toISOString(), '2026-10-26T01:30:00.000Z');
  // Every instant of the repeated hour owes the same occurrence: one run, not two.
  const owed = ['2026-10-25T00:45:00Z', '2026-10-25T01:45:00Z', '2026-10-25T02:15:00Z'].map((at) =>
    latestOccurrence(early, new Date(at))?.toISOString(),
  );
  assert.equal(new Set(owed.filter((at) => at?.startsWith('2026-10-25'))).size, 1, String(owed));
});

test('a schedule is refused when it cannot say local times once an hour at most', () => {
  assert.equal(scheduleProblem('FREQ=WEEKLY;BYDAY=MO;BYHOUR=8'), undefined);
  assert.equal(scheduleProblem('DTSTART:20260105T080000\nRRULE:FREQ=WEEKLY;INTERVAL=2'), undefined);
  assert.match(scheduleProblem('FREQ=MINUTELY') ?? '', /at most hourly/);
  assert.match(scheduleProblem('DTSTART;TZID=Europe/Berlin:20260105T080000\nRRULE:FREQ=DAILY') ?? '', /TZID/);
  assert.match(scheduleProblem('DTSTART:20260105T080000Z\nRRULE:FREQ=DAILY') ?? '', /no Z/);
  assert.match(scheduleProblem('FREQ=SOMETIMES') ?? '', /not an RRULE/);
});
