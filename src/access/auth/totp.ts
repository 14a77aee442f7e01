import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * TOTP (RFC 6238) over HOTP (RFC 4226): HMAC-SHA1, 30-second steps, 6 digits — the parameters
 * every authenticator app assumes. Written on `node:crypto` rather than taken from a library:
 * none is installed, the algorithm is a dozen lines of HMAC and truncation checked against the
 * RFC's own test vectors (`totp.test.ts`), and a dependency would add supply-chain surface to
 * the sign-in path for no gain.
 */
export const TOTP_STEP_SECONDS = 30;
const DIGITS = 6;
/** Codes one step early or late are accepted: phone clocks drift (RFC 6238 §5.2). */
const DRIFT_STEPS = 1;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new shared secret: 20 random bytes (RFC 4226 §4 recommends 160 bits), base32. */
export function newTotpSecret(): string {
  return toBase32(randomBytes(20));
}

/** The `otpauth://` URI authenticator apps read from a QR code (Google Authenticator key format). */
export function otpauthUri(secret: string, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${query}`;
}

export function stepAt(unixSeconds: number): number {
  return Math.floor(unixSeconds / TOTP_STEP_SECONDS);
}

export interface HotpOptions {
  /** Length of the code (6 unless given). */
  digits?: number;
  /** HMAC hash (`sha1` unless given; RFC 6238 also allows sha256 and sha512). */
  algorithm?: string;
}

/** HOTP value for one counter (RFC 4226 §5.3, dynamic truncation). */
export function hotp(key: Uint8Array, counter: number, options: HotpOptions = {}): string {
  const { digits = DIGITS, algorithm = 'sha1' } = options;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** When a code is checked, and the last step already used (if any). */
export interface TotpMoment {
  nowSeconds: number;
  lastUsedStep?: number;
}

/**
 * The step a code matches, within the drift window around `now`, or undefined. Steps at or
 * before `lastUsedStep` never match, so a code seen once (shoulder-surfed, phished) is spent.
 */
export function matchTotp(secret: string, code: string, at: TotpMoment): number | undefined {
  const { nowSeconds, lastUsedStep } = at;
  if (!/^\d{6}$/.test(code)) return undefined;
  const key = fromBase32(secret);
  const current = stepAt(nowSeconds);
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (lastUsedStep !== undefined && step <= lastUsedStep) continue;
    if (timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code))) return step;
  }
  return undefined;
}

export function toBase32(bytes: Uint8Array): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let at = 0; at < bits.length; at += 5)
    out += BASE32[parseInt(bits.slice(at, at + 5).padEnd(5, '0'), 2)];
  return out;
}

export function fromBase32(text: string): Uint8Array {
  let bits = '';
  for (const char of text.toUpperCase().replace(/[=\s]/g, '')) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error('Invalid base32');
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = new Uint8Array(Math.floor(bits.length / 8));
  for (let at = 0; at < bytes.length; at++) bytes[at] = parseInt(bits.slice(at * 8, at * 8 + 8), 2);
  return bytes;
}
