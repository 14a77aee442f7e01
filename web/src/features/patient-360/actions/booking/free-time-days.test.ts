import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freeDays, localDay, wholeDays } from './free-time-days.ts';
import type { Proposal } from './use-booking.ts';

const SYSTEM = 'http://terminology.hl7.org/CodeSystem/service-type';

/** A proposal at a local time, with a practitioner and a visit type. */
function time(local: string, practitioner: string, visitType = '124'): Proposal {
  return {
    resourceType: 'Appointment',
    start: new Date(local).toISOString(),
    serviceType: [{ coding: [{ system: SYSTEM, code: visitType }] }],
    participant: [{ actor: { reference: `Practitioner/${practitioner}` } }],
  };
}

const starts = (options: { proposal: Proposal }[]) =>
  options.map((option) => option.proposal.start!.slice(11, 16));

test('free times by day, then visit type; one practitioner’s times are each a choice', () => {
  const times = [
    time('2027-03-01T09:00', 'a'),
    time('2027-03-01T09:00', 'b'),
    time('2027-03-01T09:10', 'n', '57'),
    time('2027-03-02T09:00', 'a'),
  ];
  const days = freeDays(times, false);
  assert.deepEqual(
    days.map((day) => day.day),
    ['2027-03-01', '2027-03-02'],
  );
  assert.deepEqual(
    days[0]!.visits.map((visit) => [visit.visitType, visit.options.length]),
    [
      ['124', 2],
      ['57', 1],
    ],
  );
});

test('with any practitioner, a start offered by several is one choice, the first, counting the others', () => {
  const times = [time('2027-03-01T09:00', 'a'), time('2027-03-01T09:00', 'b'), time('2027-03-01T09:20', 'b')];
  const [day] = freeDays(times, true);
  const options = day!.visits[0]!.options;
  assert.equal(options.length, 2);
  assert.equal(options[0]!.proposal, times[0], 'the first as $find ordered them');
  assert.equal(options[0]!.alsoFree, 1);
  assert.deepEqual(starts(options), starts(options).toSorted(), 'earliest first');
});

test('when $find stopped at the count, the last day reached (perhaps cut short) is left out', () => {
  const times = [time('2027-03-01T09:00', 'a'), time('2027-03-02T09:00', 'a'), time('2027-03-02T09:20', 'a')];
  assert.deepEqual(wholeDays(times, 3), [times[0]]);
  assert.deepEqual(wholeDays(times, 4), times, 'fewer than asked: every day is whole');
  const oneDay = times.slice(1);
  assert.deepEqual(wholeDays(oneDay, 2), oneDay, 'a single day is kept rather than nothing');
  assert.equal(localDay(new Date('2027-03-02T23:59')), '2027-03-02');
});
