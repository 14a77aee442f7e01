import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Consent, Resource } from '@medplum/fhirtypes';
import { deniedByConsent, restrictionsOf, ROLE_SYSTEM } from './consent-restrictions.ts';

const base: Consent = {
  resourceType: 'Consent',
  status: 'active',
  scope: { coding: [{ code: 'patient-privacy' }] },
  category: [{ text: 'consent' }],
  patient: { reference: 'Patient/p1' },
};
const observation = { resourceType: 'Observation' } as Resource;
const appointment = { resourceType: 'Appointment' } as Resource;

test('a deny naming types and roles hides those types from those roles only', () => {
  const consent = {
    ...base,
    provision: {
      type: 'permit',
      provision: [
        {
          type: 'deny',
          class: [{ code: 'Observation' }],
          actor: [
            { role: { coding: [{ system: ROLE_SYSTEM, code: 'nurse' }] }, reference: { display: 'nurses' } },
          ],
        },
      ],
    },
  } as Consent;
  const restrictions = restrictionsOf([consent]).get('p1');
  assert.equal(deniedByConsent(restrictions, ['nurse'], observation), true);
  assert.equal(deniedByConsent(restrictions, ['physician'], observation), false);
  assert.equal(deniedByConsent(restrictions, ['nurse'], appointment), false);
});

test('an outreach preference ("no SMS") hides nothing', () => {
  const noSms = {
    ...base,
    provision: { type: 'deny', code: [{ coding: [{ code: 'SMSWRIT' }] }] },
  } as Consent;
  assert.equal(restrictionsOf([noSms]).get('p1'), undefined);
});

test('inactive consents and other scopes are not enforced', () => {
  const denyAll = { type: 'deny', action: [{ coding: [{ code: 'access' }] }] } as Consent['provision'];
  assert.equal(restrictionsOf([{ ...base, status: 'inactive', provision: denyAll } as Consent]).size, 0);
  assert.equal(
    restrictionsOf([{ ...base, scope: { coding: [{ code: 'treatment' }] }, provision: denyAll } as Consent])
      .size,
    0,
  );
  assert.equal(
    deniedByConsent(
      restrictionsOf([{ ...base, provision: denyAll } as Consent]).get('p1'),
      ['front-desk'],
      appointment,
    ),
    true,
  );
});
