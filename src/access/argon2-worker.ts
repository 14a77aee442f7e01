import { parentPort } from 'node:worker_threads';
import { argon2id, argon2Verify } from 'hash-wasm';

/**
 * The Argon2id worker (`argon2-pool.ts` starts it): hashing costs tens of milliseconds and 19
 * MiB per call, which on the main thread would stall every request behind a burst of sign-ins.
 */
export interface Argon2Task {
  id: number;
  op: 'hash' | 'verify';
  secret: string;
  /** verify: the encoded hash; hash: the salt, base64. */
  input: string;
}

export interface Argon2Result {
  id: number;
  value?: string | boolean;
  error?: string;
}

async function run(task: Argon2Task): Promise<string | boolean> {
  if (task.op === 'verify') return argon2Verify({ password: task.secret, hash: task.input });
  // Parameters follow OWASP's minimum (19 MiB, 2 passes).
  return argon2id({
    password: task.secret,
    salt: Buffer.from(task.input, 'base64'),
    parallelism: 1,
    iterations: 2,
    memorySize: 19456,
    hashLength: 32,
    outputType: 'encoded',
  });
}

parentPort?.on('message', (task: Argon2Task) => {
  run(task).then(
    (value) => parentPort?.postMessage({ id: task.id, value } satisfies Argon2Result),
    (error: unknown) => parentPort?.postMessage({ id: task.id, error: String(error) } satisfies Argon2Result),
  );
});
