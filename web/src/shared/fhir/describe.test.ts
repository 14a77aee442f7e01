import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describe } from './describe.ts';
import type { Resource } from './types.ts';

// Shapes as the demo clinic and the journey engine write them (src/journey, src/demo).
const episode: Resource = {
  resourceType: 'EpisodeOfCare',
  status: 'active',
  type: [{ coding: [{ code: 'patient-journey', display: 'Patient journey' }] }],
  extension: [
    {
      url: 'https://throughline.dev/fhir/StructureDefinition/journey-stage',
      extension: [
        { url: 'stage', valueCoding: { code: 'diagnosis-treatment', display: 'Diagnosis and treatment' } },
      ],
    },
  ],
};
const signal: Resource = {
  resourceType: 'Flag',
  status: 'active',
  code: {
    coding: [{ code: 'results-not-communicated', display: 'Results not communicated within 7 days' }],
    text: 'Results not communicated within 7 days (DiagnosticReport/f2931f06-d48e-46f8-92be-366e73417526)',
  },
};
const report = (code?: object): Resource => ({
  resourceType: 'DiagnosticReport',
  status: 'final',
  category: [{ coding: [{ code: 'LAB' }] }],
  ...(code ? { code } : {}),
});

test('a care episode is named by its journey, with the stage it is in', () => {
  assert.deepEqual(describe(episode), {
    title: 'Care episode: Patient journey',
    detail: 'Diagnosis and treatment · active',
  });
});

test('no title is a reference: a journey signal reads as its words, the resource keeps the text', () => {
  assert.equal(describe(signal).title, 'Results not communicated within 7 days');
  assert.match((signal.code as { text: string }).text, /DiagnosticReport\//);
});

test('a report is named by its code, or is a lab report', () => {
  assert.equal(
    describe(report({ text: 'Comprehensive metabolic panel' })).title,
    'Comprehensive metabolic panel',
  );
  assert.equal(describe(report()).title, 'Lab report');
});

test('the records of who, what was agreed and how it is paid read in words', () => {
  const titles = [
    { resourceType: 'Patient', meta: { tag: [{ code: 'golden' }] } },
    { resourceType: 'Patient', identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'RFP1' }] },
    { resourceType: 'Consent', provision: { type: 'permit', code: [{ text: 'Contact by telephone' }] } },
    { resourceType: 'Coverage', payor: [{ display: 'Northbridge Health Plan' }] },
    { resourceType: 'Claim', item: [{ productOrService: { text: 'Check-up' } }], total: { value: 240 } },
    { resourceType: 'ExplanationOfBenefit', disposition: 'Claim settled as per contract' },
    { resourceType: 'CommunicationRequest', category: [{ coding: [{ code: 'appointment-reminder' }] }] },
    {
      resourceType: 'CommunicationRequest',
      category: [{ coding: [{ code: 'care-gap', display: 'Care gap' }] }],
    },
    { resourceType: 'Task', code: { text: 'Referral to endocrinology' } },
  ].map((resource) => describe(resource).title);
  assert.deepEqual(titles, [
    'Person record (all sources)',
    'Patient record',
    'Consent: Contact by telephone',
    'Insurance: Northbridge Health Plan',
    'Claim: Check-up',
    'Insurance decision: Claim settled as per contract',
    'Planned message: Appointment reminder',
    'Planned message: Care gap',
    'Referral to endocrinology',
  ]);
});

test('a type the app has no words for is still words, never the bare type name', () => {
  assert.equal(describe({ resourceType: 'MedicationStatement' }).title, 'Medication statement');
  assert.equal(
    describe({ resourceType: 'Observation', valueQuantity: { value: 2.1, unit: 'm[IU]/L' } }).detail,
    '2.1 mIU/L',
  );
});
