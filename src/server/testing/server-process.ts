import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** `throughline start` as its own process, for tests that kill it mid-work and start it again. */
export interface ServerProcess {
  process: ChildProcess;
  stderr(): string;
}

export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['src/cli/main.ts', 'start', '--no-seed'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { process: child, stderr: () => stderr };
}

/**
 * Bounds only a start that hangs: on a machine loaded by a whole test suite, a start that
 * migrates a fresh schema in a process getting a fraction of a core has taken over 30 s.
 */
const READY_WITHIN_MS = 120_000;

/**
 * Ready means the HTTP health check answers from this very process (and `alsoReady`, when
 * given, holds): a bare TCP connect could reach whatever else holds the port for a moment.
 */
export async function waitUntilReady(
  server: ServerProcess,
  options: { port: number; alsoReady?: () => Promise<boolean> },
): Promise<void> {
  const deadline = performance.now() + READY_WITHIN_MS;
  while (performance.now() < deadline) {
    if (server.process.exitCode !== null || server.process.signalCode !== null)
      throw new Error(`server exited during start-up:\n${server.stderr()}`);
    const healthy = await fetch(`http://127.0.0.1:${options.port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy && (!options.alsoReady || (await options.alsoReady()))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not ready after ${READY_WITHIN_MS} ms:\n${server.stderr()}`);
}

/** A TCP port free on loopback just now, for a server process to listen on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
