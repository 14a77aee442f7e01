import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { socialNeeds } from './social-needs.ts';
import { billingSummary } from './billing-summary.ts';
import { contactPreferences } from './contact-preferences.ts';
import { engagementTrail } from './engagement-trail.ts';

test('social needs come from screening answers and active findings, each with what it means for outreach', () => {
  const resources = [
    {
      resourceType: 'Observation',
      id: 'transport',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '93030-5' }] },
      valueCodeableConcept: { coding: [{ code: 'LA33-6' }] },
    },
    {
      resourceType: 'Observation',
      id: 'housing-ok',
      status: 'final',
      code: { coding: [{ code: '71802-3' }] },
      valueCodeableConcept: { coding: [{ code: 'LA31993-1' }] },
    },
    {
      resourceType: 'Condition',
      id: 'jobless',
      clinicalStatus: { coding: [{ code: 'active' }] },
      code: { coding: [{ code: '73438004' }] },
    },
    {
      resourceType: 'Condition',
      id: 'old',
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      code: { coding: [{ code: '105531004' }] },
    },
  ] as Resource[];
  const needs = socialNeeds(resources);
  assert.deepEqual(
    needs.map((need) => [need.need, need.reference]),
    [
      ['transport', 'Observation/transport'],
      ['employment', 'Condition/jobless'],
    ],
  );
  assert.match(needs[0]!.outreach, /telehealth/);
});

test('billing: billed, paid by insurance, what the patient owes, denied claims', () => {
  const eob = (submitted: number, paid: number, disposition = 'settled') =>
    ({
      resourceType: 'ExplanationOfBenefit',
      disposition,
      total: [
        { category: { coding: [{ code: 'submitted' }] }, amount: { value: submitted, currency: 'USD' } },
      ],
      payment: { amount: { value: paid, currency: 'USD' } },
    }) as unknown as Resource;
  assert.deepEqual(billingSummary([eob(120, 80), eob(50, 0, 'Denied: not covered')]), {
    currency: 'USD',
    billed: 170,
    paidByInsurance: 80,
    patientResponsibility: 90,
    deniedClaims: 1,
  });
});

test('contact preferences: first-ranked channel, preferred language, latest consent per channel', () => {
  const patient = {
    resourceType: 'Patient',
    telecom: [
      { system: 'email', value: 'a@example.com', rank: 2 },
      { system: 'phone', use: 'mobile', value: '+1', rank: 1 },
    ],
    communication: [{ language: { coding: [{ code: 'es' }] }, preferred: true }],
  } as const;
  const consent = (code: string, type: 'permit' | 'deny', dateTime: string) =>
    ({
      resourceType: 'Consent',
      status: 'active',
      dateTime,
      provision: { type, code: [{ coding: [{ code }] }] },
    }) as unknown as Resource;
  const preferences = contactPreferences(
    [patient as never],
    [
      consent('SMSWRIT', 'permit', '2026-01-01'),
      consent('SMSWRIT', 'deny', '2026-06-01'),
      consent('EMAILWRIT', 'permit', '2026-01-01'),
    ],
  );
  assert.deepEqual(preferences, {
    language: 'es',
    channel: 'sms',
    consent: { sms: 'deny', email: 'permit' },
  });
});

test("engagement trail: calls (missed too), reminders with the patient's reply, direction and channel", () => {
  const phone = [{ coding: [{ code: 'PHONE' }] }];
  const sms = [{ coding: [{ code: 'SMSWRIT' }] }];
  const trail = engagementTrail([
    {
      resourceType: 'Communication',
      id: 'missed',
      status: 'not-done',
      medium: phone,
      sender: { reference: 'Organization/gp' },
      sent: '2026-11-10T09:00:00Z',
    },
    {
      resourceType: 'Communication',
      id: 'reminder',
      status: 'completed',
      medium: sms,
      category: [{ coding: [{ code: 'reminder' }] }],
      sender: { reference: 'Organization/gp' },
      sent: '2026-11-12T09:00:00Z',
    },
    {
      resourceType: 'Communication',
      id: 'yes',
      status: 'completed',
      medium: sms,
      inResponseTo: [{ reference: 'Communication/reminder' }],
      sender: { reference: 'Patient/p' },
      sent: '2026-11-12T10:00:00Z',
      payload: [{ contentString: 'YES' }],
    },
  ] as Resource[]);
  assert.deepEqual(
    trail.map((item) => [
      item.reference,
      item.kind,
      item.channel,
      item.direction,
      item.status,
      item.response,
    ]),
    [
      ['Communication/yes', 'message', 'sms', 'inbound', 'completed', undefined],
      ['Communication/reminder', 'reminder', 'sms', 'outbound', 'completed', 'YES'],
      ['Communication/missed', 'call', 'phone', 'outbound', 'missed', undefined],
    ],
  );
});

test('engagement trail: a message with a file names it, so staff know it came', () => {
  const [item] = engagementTrail([
    {
      resourceType: 'Communication',
      id: 'photo',
      status: 'completed',
      sender: { reference: 'Patient/p' },
      sent: '2026-11-12T10:00:00Z',
      payload: [
        { contentString: 'My rash' },
        { contentAttachment: { contentType: 'image/png', title: 'rash.png' } },
      ],
    },
  ] as Resource[]);
  assert.equal(item?.text, 'My rash [attached: rash.png]');
});
