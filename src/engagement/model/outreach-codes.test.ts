import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceConsent } from '../consent/consent-choices.ts';
import { PURPOSE_SYSTEM, PURPOSES } from './outreach-codes.ts';
import { outreachRequestOf } from './request-outreach.ts';

test('outreach carries its purpose with the outreach-purpose CodeSystem’s display, not a bare code', () => {
  const now = new Date('2026-12-06T09:00:00Z');
  const request = outreachRequestOf({ patient: 'Patient/p1', purpose: 'care-gap' }, now);
  assert.deepEqual(request.category, [
    { coding: [{ system: PURPOSE_SYSTEM, code: 'care-gap', display: 'Care gap' }] },
  ]);
  const consent = choiceConsent(
    { channel: 'sms', purpose: 'appointment-reminder', decision: 'deny' },
    { patient: 'p1', now },
  );
  assert.deepEqual(consent.provision?.purpose, [
    { system: PURPOSE_SYSTEM, code: 'appointment-reminder', display: 'Appointment reminder' },
  ]);
  for (const purpose of PURPOSES) {
    const coding = outreachRequestOf({ patient: 'Patient/p1', purpose }, now).category?.[0]?.coding?.[0];
    assert.match(coding?.display ?? '', /^[A-Z][a-z]+( [a-z]+)*$/, `${purpose}: a display in words`);
  }
});

test('an order from a labelled write (a rule run about a restricted patient) carries its labels', () => {
  const now = new Date('2026-12-06T09:00:00Z');
  const labels = [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }];
  const request = outreachRequestOf({ patient: 'Patient/p1', purpose: 'care-gap', labels }, now);
  assert.deepEqual(request.meta?.security, labels);
  assert.equal(outreachRequestOf({ patient: 'Patient/p1', purpose: 'care-gap' }, now).meta, undefined);
});
