import { test } from 'node:test';
import assert from 'node:assert/strict';
import { principalOfClaims } from './external-oidc.ts';

test('external claims map to a principal: scope string, nested roles, a prefixed id', () => {
  const principal = principalOfClaims(
    {
      sub: 'alice',
      name: 'Alice Nurse',
      scope: 'openid user/*.rs',
      realm_access: { roles: ['nurse', 'offline'] },
    },
    'realm_access.roles',
  );
  assert.deepEqual(principal, {
    kind: 'user',
    id: 'oidc:alice',
    display: 'Alice Nurse',
    roles: ['nurse', 'offline'],
    scopes: ['openid', 'user/*.rs'],
  });
});

test('scp arrays are read, a missing roles claim means no roles, patient context is kept', () => {
  const principal = principalOfClaims(
    { sub: 'p1', scp: ['patient/*.rs'], preferred_username: 'pat', patient: 'Patient-1' },
    'roles',
  );
  assert.deepEqual(principal.scopes, ['patient/*.rs']);
  assert.deepEqual(principal.roles, []);
  assert.equal(principal.display, 'pat');
  assert.equal(principal.patient, 'Patient-1');
});
