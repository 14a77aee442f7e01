import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Twilio-Signature` (Twilio, "Webhooks security"): the full URL Twilio called, then every
 * POST parameter sorted by name, appended as name + value with no separators; HMAC-SHA1 of
 * that string keyed with the auth token, base64.
 */
export function twilioSignature(authToken: string, url: string, params: [string, string][]): string {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = url + sorted.map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Constant-time check of a request's signature (missing or malformed → false). */
export function isTwilioSignatureValid(
  authToken: string,
  request: { url: string; params: [string, string][]; signature: string | undefined },
): boolean {
  if (!request.signature) return false;
  return sameText(twilioSignature(authToken, request.url, request.params), request.signature);
}

export function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
