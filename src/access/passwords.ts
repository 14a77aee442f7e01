import { randomBytes } from 'node:crypto';
import { runArgon2 } from './argon2-pool.ts';

/**
 * Argon2id (RFC 9106) via hash-wasm: a WebAssembly build, so no native addon compiled against
 * one Node version. It runs on worker threads (`argon2-pool.ts`), never on the event loop.
 * Parameters follow OWASP's minimum (19 MiB, 2 passes; see `argon2-worker.ts`).
 */
export async function hashSecret(secret: string): Promise<string> {
  return (await runArgon2({ op: 'hash', secret, input: randomBytes(16).toString('base64') })) as string;
}

export async function verifySecret(secret: string, hash: string): Promise<boolean> {
  try {
    return (await runArgon2({ op: 'verify', secret, input: hash })) === true;
  } catch {
    return false;
  }
}
