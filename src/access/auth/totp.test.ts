import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase32, hotp, matchTotp, newTotpSecret, otpauthUri, stepAt, toBase32 } from './totp.ts';

// RFC 6238 Appendix B: SHA-1 key "12345678901234567890", 8 digits.
const rfcKey = new TextEncoder().encode('12345678901234567890');
const rfcVectors: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

test('TOTP matches the RFC 6238 test vectors (SHA-1)', () => {
  for (const [time, expected] of rfcVectors)
    assert.equal(hotp(rfcKey, stepAt(time), { digits: 8 }), expected, `T=${time}`);
});

test('HOTP matches the RFC 4226 Appendix D values', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314'];
  expected.forEach((code, counter) => assert.equal(hotp(rfcKey, counter), code));
});

test('base32 round-trips and a new secret is 160 bits', () => {
  assert.equal(toBase32(rfcKey), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.deepEqual(fromBase32('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), rfcKey);
  assert.equal(fromBase32(newTotpSecret()).length, 20);
});

test('a code matches within one step of drift, never twice, and not outside the window', () => {
  const secret = toBase32(rfcKey);
  const now = 1234567890;
  const code = hotp(rfcKey, stepAt(now));
  assert.equal(matchTotp(secret, code, { nowSeconds: now }), stepAt(now));
  assert.equal(matchTotp(secret, code, { nowSeconds: now + 30 }), stepAt(now));
  assert.equal(matchTotp(secret, code, { nowSeconds: now + 90 }), undefined);
  assert.equal(
    matchTotp(secret, code, { nowSeconds: now, lastUsedStep: stepAt(now) }),
    undefined,
    'a spent step is refused',
  );
  assert.equal(matchTotp(secret, 'abcdef', { nowSeconds: now }), undefined);
});

test('the otpauth URI names issuer, account and parameters', () => {
  const uri = new URL(otpauthUri('ABC', 'nia@demo.clinic', 'Throughline'));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('secret'), 'ABC');
  assert.equal(uri.searchParams.get('issuer'), 'Throughline');
  assert.ok(decodeURIComponent(uri.pathname).endsWith('Throughline:nia@demo.clinic'));
});
