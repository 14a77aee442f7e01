import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertSameOutcome } from '../../kernel/testing/same-outcome.ts';
import { everyKindOfValue } from '../../kernel/testing/every-kind.ts';
import { clean, cleanViaJson } from './clean-resource.ts';

/** The same answer as the JSON round trip (−0 and 0 told apart), or the same error. */
function assertSameAsJson(value: object): void {
  assertSameOutcome(
    () => clean(value),
    () => cleanViaJson(value),
  );
}

// What mappings build: strings, numbers, booleans, null, undefined and empty arrays, nested.
const leaf = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(null, undefined, -0, [], [undefined], [[]]),
);
const { mapped } = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('mapped')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  mapped: fc.dictionary(
    fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'toJSON')),
    tie('node'),
    {
      maxKeys: 5,
    },
  ),
}));

test('clean answers as the JSON round trip on generated mapping output', () => {
  fc.assert(
    fc.property(mapped, (value) => assertSameAsJson(value as object)),
    { numRuns: 5000 },
  );
});

test('clean answers as the JSON round trip on generated values of every kind', () => {
  const anything = everyKindOfValue({ keys: ['__proto__', 'toJSON', 'length'] });
  fc.assert(fc.property(fc.dictionary(fc.string(), anything), assertSameAsJson), { numRuns: 3000 });
});

test('clean copies and leaves the unusual to JSON: a cycle, a Date, NaN', () => {
  const input = { a: [{ b: [] as unknown[], c: undefined }], d: 'x' };
  const cleaned = clean(input);
  assert.deepStrictEqual(cleaned, { a: [{}], d: 'x' });
  assert.notEqual(cleaned.a, input.a);
  assert.deepStrictEqual(clean({ at: new Date(0), n: NaN, list: [undefined, []] }), {
    at: '1970-01-01T00:00:00.000Z',
    n: null,
    list: [null, null],
  });
  assert.deepStrictEqual(clean({ a: { toJSON: () => 'x' } }), { a: 'x' });
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => clean(cycle), TypeError);
});
