import fc from 'fast-check';

/**
 * For property tests of a faster replacement of a copy (`structuredClone`, the JSON round
 * trip): values of every kind fast-check makes — big integers, boxed values, dates, maps,
 * typed and sparse arrays, null prototypes — under awkward `keys` (`__proto__`, `length`, …)
 * beside arbitrary ones. `more` turns on further kinds for one suite.
 */
export function everyKindOfValue(options: {
  keys: string[];
  more?: fc.ObjectConstraints;
}): fc.Arbitrary<unknown> {
  return fc.anything({
    maxDepth: 4,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withSparseArray: true,
    withTypedArray: true,
    ...options.more,
    key: fc.oneof(fc.string(), fc.constantFrom(...options.keys)),
  });
}
