import { ThroughlineError } from '../../kernel/errors.ts';

/** What a patient signs in with when she asks for a code: her email address or her mobile number. */
export type SignInIdentifier = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

// Deliberately loose (one @, a dot in the domain, no spaces): the account table decides the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// ITU-T E.164: a + and at most 15 digits, the first not 0.
const E164 = /^\+[1-9]\d{6,14}$/;
// What people type between the digits of a number: spaces, dashes, dots, brackets.
const PHONE_PUNCTUATION = /[\s\-.()]/g;

/** An E.164 number as stored (`+1-541-555-2674` → `+15415552674`), or undefined when it is none. */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.trim().replace(PHONE_PUNCTUATION, '').replace(/^00/, '+');
  return E164.test(compact) ? compact : undefined;
}

/**
 * The identifier as the account table holds it: emails in lower case, numbers in E.164. Only
 * its form is checked here (400 naming `identifier`), never whether an account has it.
 */
export function parseSignInIdentifier(raw: unknown): SignInIdentifier {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text.includes('@')) {
    if (EMAIL.test(text) && text.length <= 254) return { kind: 'email', value: text.toLowerCase() };
  } else {
    const phone = normalizePhone(text);
    if (phone) return { kind: 'phone', value: phone };
  }
  throw new ThroughlineError(
    'INVALID_REQUEST',
    'identifier must be an email address or a mobile number in international form (+15415552674)',
    { expression: 'identifier' },
  );
}
