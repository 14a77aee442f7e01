import assert from 'node:assert/strict';

/**
 * For property tests of a faster replacement: `subject` answers as `reference` does (deep-equal,
 * −0 and 0 told apart), or throws an error of the same name where the reference throws.
 */
export function assertSameOutcome(subject: () => unknown, reference: () => unknown): void {
  let expected: unknown;
  try {
    expected = reference();
  } catch (error) {
    assert.throws(subject, { name: (error as Error).name });
    return;
  }
  assert.deepStrictEqual(subject(), expected);
}
