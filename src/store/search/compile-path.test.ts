import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { evalFhirPathTyped, toTypedValue } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { compileBranch, parseSimplePath } from './compile-path.ts';
import { searchParamsFor } from './search-params.ts';
import { clinic } from './testing/fixtures.ts';
import { missingReason, readSyntheaResources, sharedData } from './testing/shared-data.ts';

/** Drops undefined fields so expectations only name what is set. */
const parse = (branch: string): unknown => JSON.parse(JSON.stringify(parseSimplePath(branch) ?? null));

test('simple paths: dotted, as/ofType, resolve() is', () => {
  assert.deepEqual(parse('Patient.name.family'), { steps: ['name', 'family'] });
  assert.deepEqual(parse('(Observation.value as Quantity)'), {
    steps: ['value'],
    asType: 'Quantity',
  });
  assert.deepEqual(parse('Condition.onset.as(Age)'), { steps: ['onset'], asType: 'Age' });
  assert.deepEqual(parse('Observation.subject.where(resolve() is Patient)'), {
    steps: ['subject'],
    resolveType: 'Patient',
  });
  assert.deepEqual(parse("Patient.telecom.where(system='email')"), {
    steps: ['telecom'],
    where: { field: 'system', value: 'email' },
  });
  assert.deepEqual(parse('(Observation.value.ofType(Quantity))'), { steps: ['value'], asType: 'Quantity' });
  assert.equal(parse('Patient.deceased.exists() and Patient.deceased != false'), null);
  assert.equal(parse('Bundle.entry[0].resource'), null);
});

/** The fast path must find exactly what the FHIRPath interpreter finds, on real resources. */
function assertSameAsInterpreter(resources: Resource[]): number {
  let compared = 0;
  for (const resource of resources) {
    for (const param of searchParamsFor(resource.resourceType).indexed) {
      const input = toTypedValue(resource);
      for (const branch of param.branches) {
        if (!parseSimplePath(branch)) continue;
        const fast = compileBranch(branch)(resource).map((found) => JSON.stringify(found.value));
        const slow = evalFhirPathTyped(branch, [input], { '%resource': input }).map((found) =>
          JSON.stringify(found.value),
        );
        assert.deepEqual(
          fast.sort(),
          slow.sort(),
          `${resource.resourceType}/${resource.id} ${param.code}: ${branch}`,
        );
        compared++;
      }
    }
  }
  return compared;
}

test('fast path agrees with the FHIRPath interpreter on the test clinic', () => {
  assert.ok(assertSameAsInterpreter(clinic) > 50);
});

test(
  'fast path agrees with the FHIRPath interpreter on Synthea',
  { skip: missingReason('synthea/dev') },
  () => {
    assert.ok(assertSameAsInterpreter(readSyntheaResources(2)) > 1000);
  },
);

test(
  'fast path agrees with the FHIRPath interpreter on official examples',
  { skip: missingReason('fhir-examples/r4') },
  () => {
    const resources: Resource[] = [];
    for (const type of readdirSync(`${sharedData}fhir-examples/r4`)) {
      for (const file of readdirSync(`${sharedData}fhir-examples/r4/${type}`).slice(0, 3)) {
        resources.push(
          JSON.parse(readFileSync(`${sharedData}fhir-examples/r4/${type}/${file}`, 'utf8')) as Resource,
        );
      }
    }
    assert.ok(
      assertSameAsInterpreter(resources.filter((resource) => resource.resourceType !== 'Bundle')) > 100,
    );
  },
);
