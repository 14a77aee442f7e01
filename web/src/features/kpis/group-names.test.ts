import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupName, type JourneyChoice } from './group-names.ts';

const journeys: JourneyChoice[] = [
  { id: 'diabetes-care', title: 'Diabetes care', stages: [{ code: 'awareness', display: 'Diagnosed' }] },
  {
    id: 'patient-journey',
    title: 'Patient journey',
    stages: [
      { code: 'awareness', display: 'Awareness and acknowledgement' },
      { code: 'diagnosis-treatment', display: 'Diagnosis, treatment planning and procurement' },
    ],
  },
];

test('a stage group is named as the journey catalog names it, the grouping journey first', () => {
  assert.equal(
    groupName('satisfaction-by-stage', 'diagnosis-treatment', journeys),
    'Diagnosis, treatment planning and procurement',
  );
  assert.equal(groupName('survey-response-by-stage', 'awareness', journeys), 'Awareness and acknowledgement');
  assert.equal(groupName('survey-response-by-stage', 'none', journeys), 'No journey stage');
});

test('before the catalog arrives, or for a code it lacks, the code reads as words; services stay as sent', () => {
  assert.equal(groupName('satisfaction-by-stage', 'post-treatment', undefined), 'Post treatment');
  assert.equal(
    groupName('satisfaction-by-touchpoint', 'Routine appointment', journeys),
    'Routine appointment',
  );
});
