import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { buildTimeline } from './build-timeline.ts';

const at = (date: string) => ({ meta: { lastUpdated: date } });

test('the directory a record points at (practitioners, places, slots) is not on the timeline', () => {
  const resources = [
    {
      resourceType: 'Appointment',
      id: 'a1',
      status: 'booked',
      start: '2026-12-05T09:00:00Z',
      participant: [],
    },
    { resourceType: 'Observation', id: 'o1', status: 'final', code: {}, effectiveDateTime: '2026-12-01' },
    { resourceType: 'Practitioner', id: 'p1', ...at('2026-12-05T01:00:00Z') },
    { resourceType: 'Location', id: 'l1', ...at('2026-12-05T01:00:00Z') },
    { resourceType: 'Organization', id: 'org1', ...at('2026-12-05T01:00:00Z') },
    {
      resourceType: 'Slot',
      id: 's1',
      status: 'busy',
      start: '2026-12-05T09:00:00Z',
      end: '2026-12-05T09:20:00Z',
    },
  ] as Resource[];
  const { events } = buildTimeline(resources, {});
  assert.deepEqual(events.map((event) => event.reference).sort(), ['Appointment/a1', 'Observation/o1']);
  const clinical = buildTimeline(resources, { categories: ['clinical'] }).events;
  assert.deepEqual(
    clinical.map((event) => event.reference),
    ['Observation/o1'],
  );
});
