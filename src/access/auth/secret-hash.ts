import { createHash, randomBytes } from 'node:crypto';

/**
 * Codes and refresh tokens are 256 random bits, so a plain SHA-256 of them is enough to store
 * (nothing to brute-force, unlike a password): a database leak yields no usable token.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** PKCE S256 (RFC 7636 §4.6): BASE64URL(SHA256(ASCII(code_verifier))). */
export function pkceChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
