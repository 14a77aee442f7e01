import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isThroughlineError } from '../../kernel/errors.ts';
import { normalizePhone, parseSignInIdentifier } from './sign-in-identifier.ts';

test('emails are matched in lower case, numbers in E.164 whatever punctuation was typed', () => {
  assert.deepEqual(parseSignInIdentifier(' Maya.Okafor@Example.com '), {
    kind: 'email',
    value: 'maya.okafor@example.com',
  });
  assert.deepEqual(parseSignInIdentifier('+1 (541) 555-2674'), { kind: 'phone', value: '+15415552674' });
  assert.deepEqual(parseSignInIdentifier('0044 20 7946 0958'), { kind: 'phone', value: '+442079460958' });
  assert.equal(normalizePhone('+1-541-555-2674'), '+15415552674');
});

test('anything else is a 400 naming identifier: local numbers, letters, half an address, nothing', () => {
  for (const raw of ['541 555 2674', '+0123456789', 'maya@', '@example.com', 'a b@c.d', '', undefined, 42]) {
    assert.throws(
      () => parseSignInIdentifier(raw),
      (error: unknown) =>
        isThroughlineError(error) && error.httpStatus === 400 && error.issues[0]?.expression === 'identifier',
      String(raw),
    );
  }
  assert.equal(normalizePhone('+1234567890123456'), undefined, 'E.164 has at most 15 digits');
});
