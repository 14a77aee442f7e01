import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { claimLockKeys, EXCLUSIVE_IDENTIFIER_SYSTEM } from './exclusive-claims.ts';

test('claim keys come from a list of identifiers or a single one, and anything else is no claim', () => {
  const claim = { system: EXCLUSIVE_IDENTIFIER_SYSTEM, value: 'slot-1' };
  const resources = [
    { resourceType: 'Slot', identifier: [claim, { system: 'other', value: 'x' }] },
    { resourceType: 'QuestionnaireResponse', identifier: claim },
    { resourceType: 'Bundle', identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1' } },
    { resourceType: 'Patient', identifier: [null, 'text', 42] },
    { resourceType: 'Patient' },
    undefined,
  ] as unknown as Resource[];
  assert.deepEqual(claimLockKeys(resources), ['claim:Slot|slot-1', 'claim:QuestionnaireResponse|slot-1']);
});
