import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RelatedPerson } from '@medplum/fhirtypes';
import { USER_SYSTEM } from '../principal.ts';
import { intersectScopes } from '../scopes.ts';
import { grantSmartScopes, isGrantLive, isProxyGrant, PROXY_SCOPE_URL } from './proxy-grant.ts';

const grant = (changes: Partial<RelatedPerson> = {}): RelatedPerson => ({
  resourceType: 'RelatedPerson',
  active: true,
  patient: { reference: 'Patient/ada' },
  identifier: [{ system: USER_SYSTEM, value: 'maya-account' }],
  period: { start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z' },
  extension: [{ url: PROXY_SCOPE_URL, valueCode: 'appointments' }],
  ...changes,
});

test('a grant is a RelatedPerson naming a portal account; next of kin is not', () => {
  assert.equal(isProxyGrant(grant()), true);
  assert.equal(isProxyGrant(grant({ identifier: [{ system: 'urn:other', value: 'maya-account' }] })), false);
  assert.equal(isProxyGrant({ resourceType: 'Patient', identifier: grant().identifier } as never), false);
});

test('live only while active says true and now is within the period (end excluded)', () => {
  const at = (iso: string) => new Date(iso);
  assert.equal(isGrantLive(grant(), at('2026-06-01T00:00:00Z')), true);
  assert.equal(isGrantLive(grant(), at('2027-01-01T00:00:00Z')), false, 'ends at its end');
  assert.equal(isGrantLive(grant(), at('2025-12-31T23:59:59Z')), false, 'not before its start');
  assert.equal(isGrantLive(grant({ active: false }), at('2026-06-01T00:00:00Z')), false);
  assert.equal(
    isGrantLive(grant({ active: undefined }), at('2026-06-01T00:00:00Z')),
    false,
    'must say active',
  );
  assert.equal(isGrantLive(grant({ period: undefined }), at('2030-01-01T00:00:00Z')), true, 'open-ended');
});

test('scope codes give SMART scopes (her Patient always; unknown codes nothing)', () => {
  const scopes = grantSmartScopes(
    grant({ extension: [{ url: PROXY_SCOPE_URL, valueCode: 'everything-please' }] }),
  );
  assert.deepEqual(scopes, ['patient/Patient.rs']);
  assert.ok(grantSmartScopes(grant()).includes('patient/Appointment.crus'));
});

test('the grant narrows the token and the token narrows the grant', () => {
  assert.deepEqual(intersectScopes(['patient/*.rs'], ['patient/Observation.crs']), [
    'patient/Observation.rs',
  ]);
  assert.deepEqual(intersectScopes(['patient/Appointment.crus'], ['patient/*.rs']), [
    'patient/Appointment.rs',
  ]);
  assert.deepEqual(intersectScopes(['patient/Appointment.crus'], ['patient/Observation.rs']), []);
  assert.deepEqual(intersectScopes(['patient/*.rs'], ['not a scope']), []);
});
