import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { openTimes, proposeTimes, type ScheduleTimes } from './open-times.ts';
import { MINUTE, overlaps, type Interval } from './intervals.ts';
import type { Weekday, WeeklyHours } from './weekly-hours.ts';
import type { ServiceRules } from './service-types.ts';

const days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const weekStart = Date.parse('2027-03-08T00:00:00Z'); // spans the US DST change of 2027-03-14
const range: Interval = { start: weekStart, end: weekStart + 14 * 24 * 60 * MINUTE };

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const hours = fc
  .record({
    days: fc.subarray(days, { minLength: 1 }),
    from: fc.integer({ min: 0, max: 22 * 4 }),
    length: fc.integer({ min: 1, max: 8 * 4 }),
  })
  .map(({ days: daysOfWeek, from, length }): WeeklyHours => ({
    daysOfWeek,
    start: hhmm(from * 15),
    end: hhmm(Math.min(from * 15 + length * 15, 23 * 60 + 59)),
  }));

const intervalIn = fc
  .record({ at: fc.integer({ min: 0, max: 14 * 24 * 12 }), length: fc.integer({ min: 1, max: 24 }) })
  .map(({ at, length }): Interval => {
    const start = range.start + at * 5 * MINUTE + (at % 3) * MINUTE; // not always on the grid
    return { start, end: start + length * 5 * MINUTE };
  });

const service = fc.record({
  minutes: fc.constantFrom(10, 15, 20, 30, 45),
  bufferMinutes: fc.constantFrom(0, 5, 10),
  minimumNoticeMinutes: fc.constantFrom(0, 60, 1440),
}) as fc.Arbitrary<ServiceRules>;

/** Whether every minute of a time lies inside an opening of `hours`, read back in the zone independently. */
function insideHours(time: Interval, list: WeeklyHours[], zone: string): boolean {
  // Hours are on quarter hours and proposals on 5-minute blocks: each block's first minute and the last minute decide.
  for (let at = time.start; at < time.end; at += 5 * MINUTE) if (!openAt(at, list, zone)) return false;
  return openAt(time.end - MINUTE, list, zone);
}

function openAt(at: number, list: WeeklyHours[], zone: string): boolean {
  const local = DateTime.fromMillis(at, { zone });
  const day = days[local.weekday - 1]!;
  const minute = local.hour * 60 + local.minute;
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  return list.some(
    (each) => each.daysOfWeek.includes(day) && minute >= minutes(each.start!) && minute < minutes(each.end!),
  );
}

test('$find never offers a taken, held-off, out-of-hours or too-soon time (property)', () => {
  fc.assert(
    fc.property(
      fc.record({
        zone: fc.constantFrom(...zones),
        role: fc.array(hours, { minLength: 1, maxLength: 4 }),
        location: fc.array(hours, { maxLength: 3 }),
        holidays: fc.array(intervalIn, { maxLength: 3 }),
        bookings: fc.array(intervalIn, { maxLength: 30 }),
        patient: fc.array(intervalIn, { maxLength: 5 }),
        service,
        now: fc.integer({ min: 0, max: 7 * 24 * 60 }).map((minutes) => range.start + minutes * MINUTE),
      }),
      (world) => {
        const buffer = world.service.bufferMinutes * MINUTE;
        const busy = world.bookings.map((each) => ({ start: each.start, end: each.end + buffer }));
        const times: ScheduleTimes = {
          zone: world.zone,
          hours: [world.role, world.location],
          notAvailable: world.holidays,
          freeSlots: [],
          busy,
        };
        const offered = proposeTimes(openTimes(times, range), {
          service: world.service,
          now: world.now,
          patientBusy: world.patient,
          busy,
        });
        for (const time of offered) {
          assert.equal(time.end - time.start, world.service.minutes * MINUTE);
          assert.ok(insideHours(time, world.role, world.zone), 'inside the practitioner hours');
          if (world.location.length > 0)
            assert.ok(insideHours(time, world.location, world.zone), 'location open');
          for (const taken of [...world.bookings, ...world.holidays, ...world.patient])
            assert.ok(
              !overlaps(time, taken),
              'never over a booking, holiday or the patient’s own appointment',
            );
          for (const taken of world.bookings)
            assert.ok(!overlaps(time, { ...taken, end: taken.end + buffer }));
          assert.ok(time.start >= world.now + world.service.minimumNoticeMinutes * MINUTE, 'minimum notice');
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('an empty week offers back-to-back times, length plus buffer apart, in local hours', () => {
  const offered = proposeTimes(
    openTimes(
      {
        zone: 'Europe/Berlin',
        hours: [[{ daysOfWeek: ['mon'], start: '09:00', end: '10:00' }]],
        notAvailable: [],
        freeSlots: [],
        busy: [],
      },
      range,
    ),
    {
      service: { minutes: 15, bufferMinutes: 5, minimumNoticeMinutes: 0 },
      now: 0,
      patientBusy: [],
      busy: [],
    },
  );
  assert.deepEqual(
    offered.slice(0, 3).map((time) => new Date(time.start).toISOString()),
    ['2027-03-08T08:00:00.000Z', '2027-03-08T08:20:00.000Z', '2027-03-08T08:40:00.000Z'],
  );
});

test('a free Slot opens time outside the template; a holiday closes template time', () => {
  const monday = { daysOfWeek: ['mon' as const], start: '09:00', end: '12:00' };
  const extra = { start: Date.parse('2027-03-13T10:00:00Z'), end: Date.parse('2027-03-13T11:00:00Z') };
  const holiday = { start: Date.parse('2027-03-08T00:00:00Z'), end: Date.parse('2027-03-09T00:00:00Z') };
  const open = openTimes(
    { zone: 'UTC', hours: [[monday]], notAvailable: [holiday], freeSlots: [extra], busy: [] },
    { start: range.start, end: range.start + 7 * 24 * 60 * MINUTE },
  );
  assert.deepEqual(open, [extra]);
});

test('on the spring-forward night, hours that end in the skipped hour end at the jump', () => {
  const night = { start: Date.parse('2027-03-14T00:00:00Z'), end: Date.parse('2027-03-15T00:00:00Z') };
  const open = openTimes(
    {
      zone: 'America/New_York',
      hours: [[{ daysOfWeek: ['sun'], start: '01:00', end: '02:15' }]],
      notAvailable: [],
      freeSlots: [],
      busy: [],
    },
    night,
  );
  assert.deepEqual(open, [
    { start: Date.parse('2027-03-14T06:00:00Z'), end: Date.parse('2027-03-14T07:00:00Z') },
  ]);
});
