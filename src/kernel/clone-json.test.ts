import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cloneJson } from './clone-json.ts';
import { assertSameOutcome } from './testing/same-outcome.ts';
import { everyKindOfValue } from './testing/every-kind.ts';

/** Every object and array reachable from `value`, for the no-sharing check. */
function objectsIn(value: unknown, into = new Set<object>()): Set<object> {
  if (value && typeof value === 'object' && !into.has(value)) {
    into.add(value);
    for (const child of Object.values(value)) objectsIn(child, into);
  }
  return into;
}

/** The same answer as `structuredClone`, or the same error. */
function assertSameAsStructuredClone(value: unknown): void {
  assertSameOutcome(
    () => cloneJson(value),
    () => structuredClone(value),
  );
}

test('cloneJson equals structuredClone on generated values of every kind', () => {
  const anything = everyKindOfValue({
    keys: ['__proto__', 'constructor', 'prototype', 'length', '0'],
    more: { withSet: true, withObjectString: true, withUnicodeString: true },
  });
  fc.assert(fc.property(anything, assertSameAsStructuredClone), { numRuns: 3000 });
});

test('cloneJson copies JSON (resources) all the way down, sharing nothing with its input', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      const copy = cloneJson(value);
      assert.deepStrictEqual(copy, structuredClone(value));
      const mine = objectsIn(value);
      for (const object of objectsIn(copy))
        assert.ok(!mine.has(object), 'an object is shared with the input');
    }),
    { numRuns: 2000 },
  );
});

test('cloneJson leaves what is not plain JSON to structuredClone: own __proto__, cycles, dates, functions', () => {
  const withProto = JSON.parse('{"resourceType":"Patient","__proto__":{"x":1}}') as object;
  assert.deepStrictEqual(cloneJson(withProto), structuredClone(withProto));
  assert.ok(Object.hasOwn(cloneJson(withProto), '__proto__'));
  const cycle: Record<string, unknown> = { a: [1] };
  cycle.self = cycle;
  const copied = cloneJson(cycle);
  assert.equal(copied.self, copied);
  const date = { at: new Date(0), undefinedKept: undefined };
  assert.deepStrictEqual(cloneJson(date), structuredClone(date));
  assert.throws(() => cloneJson({ f: () => 1 }), { name: 'DataCloneError' });
  assert.throws(() => cloneJson([Symbol('s')]), { name: 'DataCloneError' });
});
