import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource, Slot } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { daysAround, searchAll, slotsOf } from './schedule-searches.ts';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

/** `count` Slots on `schedules` Schedules, one an hour from 2027-03-01 00:00 UTC, each on the next Schedule. */
function slots(count: number, schedules: number): Slot[] {
  return Array.from({ length: count }, (_, n) => ({
    resourceType: 'Slot',
    id: `slot-${n}`,
    schedule: { reference: `Schedule/s-${n % schedules}` },
    status: 'busy',
    start: new Date(at('2027-03-01T00:00:00Z') + n * 3_600_000).toISOString(),
    end: new Date(at('2027-03-01T00:15:00Z') + n * 3_600_000).toISOString(),
  }));
}

describeEachBackend('scheduling searches: every page, every OR value, the days of a range', (backend) => {
  const { repo: repository } = testStorePerSuite(backend);
  before(async () => {
    await repository.importResources(slots(250, 120) as Resource[]);
  });

  test('searchAll returns every match of a search with more results than one page', async () => {
    const found = await searchAll<Slot>(repository, {
      resourceType: 'Slot',
      list: ['schedule', ['Schedule/s-0', 'Schedule/s-1', 'Schedule/s-2']],
      params: [],
      page: 2,
    });
    const expected = slots(250, 120).filter((slot) => /s-[012]$/.test(slot.schedule.reference!));
    assert.equal(expected.length, 9);
    assert.deepEqual(found.map((slot) => slot.id).sort(), expected.map((slot) => slot.id).sort());
  });

  test('searchAll splits an OR list longer than the store takes (120 Schedules) and pages each part', async () => {
    const schedules = Array.from({ length: 120 }, (_, n) => `Schedule/s-${n}`);
    const found = await searchAll<Slot>(repository, {
      resourceType: 'Slot',
      list: ['schedule', schedules],
      params: [],
      page: 50,
    });
    assert.equal(found.length, 250);
    assert.equal(new Set(found.map((slot) => slot.id)).size, 250);
  });

  test('slotsOf finds the Slots starting from a day before the range to the end of its last day, and no others', async () => {
    const range = { start: at('2027-03-05T10:00:00Z'), end: at('2027-03-06T00:00:00Z') };
    const schedules = Array.from({ length: 120 }, (_, n) => `Schedule/s-${n}`);
    const found = await slotsOf(repository, { schedules, range });
    const starts = found.map((slot) => Date.parse(slot.start)).sort((a, b) => a - b);
    // From 2027-03-04 00:00 UTC (the day before the range's day) up to the range's end.
    assert.equal(starts[0], at('2027-03-04T00:00:00Z'));
    assert.equal(starts.at(-1), at('2027-03-05T23:00:00Z'));
    assert.equal(found.length, 48);
  });
});

test('daysAround lists the UTC days from a day before the range to its last day', () => {
  assert.equal(
    daysAround({ start: at('2027-03-05T10:00:00Z'), end: at('2027-03-07T00:00:00Z') }),
    '2027-03-04,2027-03-05,2027-03-06',
  );
  assert.equal(
    daysAround({ start: at('2027-03-05T00:00:00Z'), end: at('2027-03-05T00:00:00Z') + DAY / 2 }),
    '2027-03-04,2027-03-05',
  );
});
