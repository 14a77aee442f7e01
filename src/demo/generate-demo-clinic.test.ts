import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Appointment,
  Communication,
  Observation,
  Patient,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { validateResource } from '../fhir/validate-resource.ts';
import { generateDemoClinic } from './generate-demo-clinic.ts';

const now = new Date('2026-03-02T00:00:00Z');
const clinic = generateDemoClinic({ seed: 7, now });
const byId = new Map(clinic.resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
const ofType = <T extends Resource>(type: T['resourceType']) =>
  clinic.resources.filter((r): r is T => r.resourceType === type);

test('same seed and day give identical output; another seed gives another clinic', () => {
  const again = generateDemoClinic({ seed: 7, now });
  assert.equal(JSON.stringify(again), JSON.stringify(clinic));
  const other = generateDemoClinic({ seed: 8, now });
  assert.notEqual(
    JSON.stringify(other.resources.slice(0, 50)),
    JSON.stringify(clinic.resources.slice(0, 50)),
  );
});

test('every generated resource is valid R4', () => {
  for (const resource of clinic.resources) {
    assert.doesNotThrow(() => validateResource(resource), `${resource.resourceType}/${resource.id}`);
  }
});

test('every reference points at a generated resource', () => {
  const references = JSON.stringify(clinic.resources).matchAll(/"reference":"([^"]+)"/g);
  for (const [, reference] of references) assert.ok(byId.has(reference!), `dangling ${reference}`);
});

test('300 people by default, the clinic covers the types of a 360° view', () => {
  assert.equal(clinic.truth.people.length, 300);
  for (const type of [
    'Practitioner',
    'Organization',
    'Location',
    'Encounter',
    'Condition',
    'MedicationRequest',
    'MedicationDispense',
    'Observation',
    'DiagnosticReport',
    'Coverage',
    'Claim',
    'ExplanationOfBenefit',
    'Appointment',
    'Communication',
    'CommunicationRequest',
    'Consent',
    'QuestionnaireResponse',
    'ServiceRequest',
  ]) {
    assert.ok(
      clinic.resources.some((r) => r.resourceType === type),
      `no ${type}`,
    );
  }
  const statuses = new Set(ofType<Appointment>('Appointment').map((a) => a.status));
  for (const status of ['booked', 'fulfilled', 'noshow', 'cancelled'])
    assert.ok(statuses.has(status as Appointment['status']), status);
  const unconfirmed = ofType<Appointment>('Appointment').filter((a) =>
    a.participant.some((p) => p.status === 'needs-action'),
  );
  assert.ok(unconfirmed.length > 0 && unconfirmed.every((a) => (a.start ?? '') > now.toISOString()));
  assert.ok(
    ofType<Communication>('Communication').some(
      (c) => c.status === 'not-done' && c.medium?.[0]?.coding?.[0]?.code === 'PHONE',
    ),
    'missed calls',
  );
  const social = ofType<Observation>('Observation').filter(
    (o) => o.category?.[0]?.coding?.[0]?.code === 'social-history',
  );
  assert.deepEqual(
    new Set(social.map((o) => o.code.coding?.[0]?.code)),
    new Set(['93030-5', '71802-3', '88122-7']),
  );
});

test('about 10% of people have a second record, with noise, and the truth lists every record', () => {
  const patients = ofType<Patient>('Patient');
  const truthIds = clinic.truth.people.flatMap((p) => p.patientIds);
  assert.equal(new Set(truthIds).size, patients.length);
  assert.deepEqual(new Set(truthIds), new Set(patients.map((p) => p.id)));
  const share = clinic.truth.duplicates.length / clinic.truth.people.length;
  assert.ok(share > 0.05 && share < 0.16, `duplicate share ${share}`);
  const kinds = new Set(clinic.truth.duplicates.flatMap((d) => d.noise));
  for (const kind of ['nickname', 'typo', 'phone-changed']) assert.ok(kinds.has(kind as never), kind);
  assert.ok(new Set(clinic.truth.duplicates.map((d) => d.source)).size >= 2);
  assert.ok(clinic.truth.lookAlikes.length >= 2, 'a handful of look-alikes');
  for (const pair of clinic.truth.lookAlikes)
    assert.ok(pair.patientIds.every((id) => byId.has(`Patient/${id}`)));
  // The truth never leaks into the data: no links, no person keys.
  assert.ok(patients.every((p) => !p.link));
  assert.ok(!JSON.stringify(clinic.resources).includes('person-0'));
});

test('a nickname duplicate really carries the nickname and a second MRN system', () => {
  const duplicate = clinic.truth.duplicates.find((d) => d.noise.includes('nickname'));
  assert.ok(duplicate);
  const person = clinic.truth.people.find((p) => p.personKey === duplicate.personKey)!;
  const first = byId.get(`Patient/${person.patientIds[0]}`) as Patient;
  const second = byId.get(`Patient/${duplicate.patientId}`) as Patient;
  assert.notEqual(first.name?.[0]?.given?.[0], second.name?.[0]?.given?.[0]);
  if (duplicate.source !== 'gp')
    assert.notEqual(first.identifier?.[0]?.system, second.identifier?.[0]?.system);
});

test("Maya's story: GP visit, lab results under the lab's record, unbooked referral, call, SMS and email reminders", () => {
  const { gpPatientId, labPatientId } = clinic.truth.maya;
  const maya = byId.get(`Patient/${gpPatientId}`) as Patient;
  assert.equal(maya.name?.[0]?.given?.[0], 'Maya');
  const labs = ofType<Observation>('Observation').filter(
    (o) => o.subject?.reference === `Patient/${labPatientId}`,
  );
  assert.ok(
    labs.some(
      (o) => o.code.coding?.[0]?.code === '4548-4' && o.interpretation?.[0]?.coding?.[0]?.code === 'H',
    ),
  );
  const referral = ofType<ServiceRequest>('ServiceRequest').find(
    (s) =>
      s.subject.reference === `Patient/${gpPatientId}` && s.category?.[0]?.coding?.[0]?.code === '3457005',
  );
  assert.ok(referral && referral.status === 'active');
  assert.ok(
    !ofType<Appointment>('Appointment').some((a) =>
      a.basedOn?.some((b) => b.reference === `ServiceRequest/${referral.id}`),
    ),
    'referral not booked',
  );
  const messages = ofType<Communication>('Communication').filter(
    (c) => c.subject?.reference === `Patient/${gpPatientId}`,
  );
  const media = messages.filter((c) => c.status === 'completed').map((c) => c.medium?.[0]?.coding?.[0]?.code);
  for (const medium of ['SMSWRIT', 'EMAILWRIT', 'PHONE']) assert.ok(media.includes(medium), medium);
  assert.ok(
    messages.some(
      (c) => c.sender?.reference === `Patient/${gpPatientId}` && c.medium?.[0]?.coding?.[0]?.code === 'PHONE',
    ),
    'her inbound call',
  );
});

test('reminders read as the outreach engine writes them: a date in words, C confirms (the reply grammar)', () => {
  const reminders = ofType<Communication>('Communication')
    .map((c) => c.payload?.[0]?.contentString ?? '')
    .filter((text) => text.includes('reminder of your appointment'));
  assert.ok(reminders.length > 0);
  for (const text of reminders) {
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}/, 'no ISO date in a message to a patient');
    assert.match(text, /Reply C to confirm/);
  }
});
