import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertSameOutcome } from '../kernel/testing/same-outcome.ts';
import { isPlainlyValid } from './check-structure.ts';
import { corrupt, corruption, setUndefined, undefinedKey } from './testing/corrupt-resource.ts';
import {
  missingReason,
  officialExamples,
  sampleResources,
  syntheaResources,
} from './testing/sample-resources.ts';
import { validateResource, validateResourceWithMedplum } from './validate-resource.ts';

// The fast walk answers "valid" only where Medplum's validator does, and leaves every other
// resource to it: so `validateResource` must answer exactly as the Medplum-only path, accepted or
// refused with the same issues (messages, expressions, order), for valid and corrupted input.

type Outcome = 'accepted' | { code: unknown; message: string; issues: unknown };

function outcomeOf(validate: (input: unknown) => unknown, input: unknown): Outcome {
  try {
    validate(input);
    return 'accepted';
  } catch (error) {
    const { code, message, issues } = error as { code: unknown; message: string; issues: unknown };
    return { code, message, issues };
  }
}

/** Both validators on `input`; the outcome, once proven the same. */
function sameOutcome(input: unknown): Outcome {
  let outcome: Outcome = 'accepted';
  assertSameOutcome(
    () => (outcome = outcomeOf(validateResource, input)),
    () => outcomeOf(validateResourceWithMedplum, input),
  );
  return outcome;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Corrupts seeds 1–3 times and checks both validators; returns how many were accepted. */
function checkCorrupted(
  seeds: Record<string, unknown>[],
  numRuns: number,
): { accepted: number; refused: number } {
  const counts = { accepted: 0, refused: 0 };
  fc.assert(
    fc.property(fc.nat(), fc.array(corruption, { minLength: 1, maxLength: 3 }), (pick, changes) => {
      const resource = clone(seeds[pick % seeds.length]!);
      for (const change of changes) corrupt(resource, change);
      counts[sameOutcome(resource) === 'accepted' ? 'accepted' : 'refused']++;
    }),
    { numRuns },
  );
  return counts;
}

test('the sample resources take the fast path, and their corruptions get Medplum’s outcome', () => {
  for (const resource of sampleResources()) {
    assert.equal(sameOutcome(resource), 'accepted');
    assert.ok(
      isPlainlyValid(resource as never),
      `${String(resource.resourceType)} should take the fast path`,
    );
  }
  const counts = checkCorrupted(sampleResources(), 3000);
  // Both answers must be common, or the property would prove little.
  assert.ok(counts.accepted > 300 && counts.refused > 300, JSON.stringify(counts));
});

test('keys holding undefined are absent: Medplum’s outcome, and the fast path where their JSON takes it', () => {
  const seeds = sampleResources();
  const counts = { fast: 0, refused: 0 };
  fc.assert(
    fc.property(fc.nat(), fc.array(undefinedKey, { minLength: 1, maxLength: 3 }), (pick, changes) => {
      const resource = clone(seeds[pick % seeds.length]!);
      for (const change of changes) setUndefined(resource, change);
      if (sameOutcome(resource) !== 'accepted') counts.refused++;
      if (isPlainlyValid(resource as never)) counts.fast++;
      // Only known elements made undefined: the walk reads the resource as its JSON (the keys gone).
      if (changes.every((change) => change.existing))
        assert.equal(isPlainlyValid(resource as never), isPlainlyValid(clone(resource) as never));
    }),
    { numRuns: 1000 },
  );
  // Both answers must be common, or the property would prove little.
  assert.ok(counts.fast > 50 && counts.refused > 50, JSON.stringify(counts));
});

test('the existing validate-resource cases answer the same on both paths', () => {
  const cases: unknown[] = [
    { resourceType: 'Patient', name: [{ given: [1] }] },
    { resourceType: 'Patient', birthDate: 'soon' },
    { resourceType: 'Patient', colour: 'blue' },
    { resourceType: 'Patient', gender: 'sometimes' },
    { resourceType: 'Patient', telecom: [{ system: 'fax2', value: '1' }] },
    { resourceType: 'Spaceship' },
    { name: 'x' },
    { resourceType: 'Patient', id: 'bad id!' },
    [],
    JSON.parse('{"resourceType":"Patient","__proto__":{"polluted":1}}'),
    { resourceType: 'Patient', constructor: { x: 1 } },
    { resourceType: 'Patient', name: [{ family: 'x', constructor: 1 }] },
    { resourceType: 'Patient', toString: 'x' },
    { resourceType: 'Patient', name: [] },
    { resourceType: 'Patient', _birthDate: { extension: [{ url: 'u', valueString: 'x' }] } },
    {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      valueString: 'a',
      valueBoolean: true,
    },
  ];
  for (const input of cases) sameOutcome(input);
});

test(
  'every official R4 example: the same outcome on both paths; the two known-invalid ones refused',
  { skip: missingReason('fhir-examples/r4') },
  () => {
    const refused = officialExamples()
      .filter(({ resource }) => sameOutcome(resource) !== 'accepted')
      .map(({ file }) => file)
      .sort();
    assert.deepEqual(refused, ['DiagnosticReport-gingival-mass.json', 'Questionnaire-qs1.json']);
    const examples = officialExamples().map(({ resource }) => resource);
    const counts = checkCorrupted(examples, 1500);
    assert.ok(counts.accepted > 100 && counts.refused > 100, JSON.stringify(counts));
  },
);

test(
  'every Synthea dev resource takes the fast path to the same outcome; corruptions of them too',
  { skip: missingReason('synthea/dev'), timeout: 300_000 },
  () => {
    const resources = syntheaResources();
    for (const resource of resources) {
      assert.equal(sameOutcome(resource), 'accepted');
      assert.ok(isPlainlyValid(resource as never), `${String(resource.resourceType)} left the fast path`);
    }
    const counts = checkCorrupted(resources, 1500);
    assert.ok(counts.accepted > 100 && counts.refused > 100, JSON.stringify(counts));
  },
);
