import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRoleMatrix } from './policy/role-matrix.ts';
import { isIntegrationPrincipal, mayPerform, type PlatformOperation } from './operator-roles.ts';
import type { Principal } from './principal.ts';

const person = (roles: string[]): Principal => ({
  kind: 'user',
  id: 'u1',
  display: 'Someone',
  roles,
  scopes: ['user/*.cruds'],
});

test('every operation a role is granted is one the matrix describes', () => {
  const matrix = loadRoleMatrix();
  for (const [role, definition] of Object.entries(matrix.roles))
    for (const operation of definition.operations ?? [])
      assert.ok(operation in matrix.operations, `${role} is granted an undescribed operation "${operation}"`);
});

test('platform operations follow the role matrix, not the scopes', () => {
  const cases: [string, PlatformOperation, boolean][] = [
    ['privacy-officer', 'privacy-requests', true],
    ['physician', 'privacy-requests', false],
    ['care-coordinator', 'assign-work', true],
    ['nurse', 'assign-work', false],
    ['admin', 'recompute-journeys', true],
    ['front-desk', 'recompute-journeys', false],
    ['patient', 'identity-model', false],
  ];
  for (const [role, operation, allowed] of cases)
    assert.equal(mayPerform(person([role]), operation), allowed, `${role} → ${operation}`);
});

test('the integration feed is for system clients only, even for a person with the role', () => {
  assert.equal(isIntegrationPrincipal(person(['integration'])), false);
  assert.equal(isIntegrationPrincipal({ ...person(['integration']), kind: 'system' } as Principal), true);
});
