import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { vacuousWhenAbsent } from './compile-type-schema.ts';
import { validateResource, validateResourceWithMedplum } from './validate-resource.ts';

test('invariants of `x.empty()` terms are recognised, and only those', () => {
  assert.deepEqual(
    vacuousWhenAbsent('contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()'),
    {
      absent: 'all',
      elements: ['contained', 'contained'],
    },
  );
  assert.deepEqual(vacuousWhenAbsent('dataAbsentReason.empty() or value.empty()'), {
    absent: 'any',
    elements: ['dataAbsentReason', 'value'],
  });
  for (const mixed of [
    'a.empty() or (b.empty() and c.empty())',
    'a.empty() and b.empty() or c.empty()',
    'value.exists()',
    'component.code.where(x).empty()',
  ])
    assert.equal(vacuousWhenAbsent(mixed), undefined, mixed);
});

/** Refused by the fast path exactly as by Medplum, naming the invariant. */
function assertRefusedLikeMedplum(resource: Resource, invariant: string): void {
  const medplum = (() => {
    try {
      validateResourceWithMedplum(resource);
    } catch (error) {
      return error as Error;
    }
  })();
  assert.match(medplum?.message ?? 'accepted', new RegExp(invariant));
  assert.throws(() => validateResource(resource), { message: medplum!.message });
}

test('a skipped invariant still refuses when its elements are there: choice keys and contained resources count', () => {
  const observation = {
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'x' },
    dataAbsentReason: { text: 'not asked' },
  };
  assertRefusedLikeMedplum({ ...observation, valueQuantity: { value: 1 } } as Resource, 'obs-6');
  assertRefusedLikeMedplum({ ...observation, valueString: 'one' } as Resource, 'obs-6');
  assert.doesNotThrow(() => validateResource(observation as Resource));
  const contained = { resourceType: 'Patient', id: 'p', meta: { versionId: '2' } };
  assertRefusedLikeMedplum({ resourceType: 'Patient', contained: [contained] } as Resource, 'dom-4');
});
