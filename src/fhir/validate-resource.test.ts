import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateResource } from './validate-resource.ts';

function issuesOf(input: unknown): { message: string; expression?: string }[] {
  try {
    validateResource(input);
    return [];
  } catch (error) {
    return (error as { issues: { message: string; expression?: string }[] }).issues;
  }
}

test('a valid resource passes', () => {
  assert.deepEqual(issuesOf({ resourceType: 'Patient', gender: 'female', name: [{ family: 'Okafor' }] }), []);
});

test('wrong types, bad dates and unknown elements point at the element', () => {
  assert.equal(
    issuesOf({ resourceType: 'Patient', name: [{ given: [1] }] })[0]?.expression,
    'Patient.name[0].given[0]',
  );
  assert.equal(issuesOf({ resourceType: 'Patient', birthDate: 'soon' })[0]?.expression, 'Patient.birthDate');
  assert.ok(issuesOf({ resourceType: 'Patient', colour: 'blue' }).length > 0);
});

test('codes outside a required value set are rejected; external terminologies are not checked', () => {
  assert.deepEqual(
    issuesOf({ resourceType: 'Patient', gender: 'sometimes' })[0]?.expression,
    'Patient.gender',
  );
  assert.equal(
    issuesOf({ resourceType: 'Patient', telecom: [{ system: 'fax2', value: '1' }] })[0]?.expression,
    'Patient.telecom[0].system',
  );
  assert.deepEqual(
    issuesOf({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: 'zzz' }] },
    }),
    [],
  );
});

test('unknown types, missing resourceType and invalid ids are rejected', () => {
  assert.equal(issuesOf({ resourceType: 'Spaceship' })[0]?.expression, 'resourceType');
  assert.equal(issuesOf({ name: 'x' })[0]?.expression, 'resourceType');
  assert.equal(issuesOf({ resourceType: 'Patient', id: 'bad id!' })[0]?.expression, 'Patient.id');
  assert.ok(issuesOf([]).length > 0);
});

test('__proto__, constructor and prototype keys are unknown elements wherever they are (not inherited names)', () => {
  const parsed = (text: string) => JSON.parse(text) as unknown;
  assert.equal(
    issuesOf(parsed('{"resourceType":"Patient","__proto__":{"polluted":1}}'))[0]?.expression,
    'Patient.__proto__',
  );
  assert.equal(
    issuesOf({ resourceType: 'Patient', constructor: { x: 1 } })[0]?.expression,
    'Patient.constructor',
  );
  assert.equal(
    issuesOf({ resourceType: 'Patient', name: [{ family: 'x', constructor: 1 }] })[0]?.expression,
    'Patient.name[0].constructor',
  );
  assert.equal(
    issuesOf({ resourceType: 'Patient', contact: [{ name: { prototype: 'x' } }] })[0]?.expression,
    'Patient.contact[0].name.prototype',
  );
});
