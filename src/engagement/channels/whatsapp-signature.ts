import { createHmac } from 'node:crypto';
import { sameText } from './twilio-signature.ts';

/**
 * `X-Hub-Signature-256` (Meta webhooks): `sha256=` + hex HMAC-SHA256 of the raw request body
 * keyed with the app secret. The raw bytes, not re-serialized JSON.
 */
export function whatsappSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function isWhatsappSignatureValid(
  appSecret: string,
  request: { rawBody: Buffer; signature: string | undefined },
): boolean {
  if (!request.signature) return false;
  return sameText(whatsappSignature(appSecret, request.rawBody), request.signature);
}
