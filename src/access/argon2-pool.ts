import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Argon2Result, Argon2Task } from './argon2-worker.ts';

interface PooledWorker {
  worker: Worker;
  pending: Map<number, { resolve: (value: string | boolean) => void; reject: (error: Error) => void }>;
}

const SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));
let workers: PooledWorker[] = [];
let nextId = 1;

/**
 * Runs one Argon2 call on a small pool of worker threads (1–2, started on first use), so a
 * burst of sign-ins or client-secret checks never blocks the event loop. A worker keeps the
 * process alive only while it has work (`ref` when busy, `unref` when idle).
 */
export function runArgon2(task: Omit<Argon2Task, 'id'>): Promise<string | boolean> {
  const pooled = leastBusy();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pooled.pending.set(id, { resolve, reject });
    pooled.worker.ref();
    pooled.worker.postMessage({ ...task, id } satisfies Argon2Task);
  });
}

/**
 * Stops the pool (platform stop): the current workers take no new work and end once their
 * calls are answered; a later call starts fresh workers.
 */
export async function stopArgon2Pool(): Promise<void> {
  const stopping = workers;
  workers = [];
  await Promise.all(stopping.map((pooled) => drainAndTerminate(pooled)));
}

function leastBusy(): PooledWorker {
  if (workers.length < SIZE && workers.every((pooled) => pooled.pending.size > 0)) workers.push(start());
  return workers.reduce((best, pooled) => (pooled.pending.size < best.pending.size ? pooled : best));
}

function start(): PooledWorker {
  const worker = new Worker(new URL('./argon2-worker.ts', import.meta.url));
  const pooled: PooledWorker = { worker, pending: new Map() };
  worker.unref();
  worker.on('message', (result: Argon2Result) => settle(pooled, result));
  worker.on('error', (error) => failAll(pooled, error));
  worker.on('exit', () => {
    workers = workers.filter((other) => other !== pooled);
    failAll(pooled, new Error('Argon2 worker exited'));
  });
  return pooled;
}

function settle(pooled: PooledWorker, result: Argon2Result): void {
  const waiting = pooled.pending.get(result.id);
  pooled.pending.delete(result.id);
  if (pooled.pending.size === 0) pooled.worker.unref();
  if (!waiting) return;
  if (result.error !== undefined) waiting.reject(new Error(result.error));
  else waiting.resolve(result.value!);
  if (pooled.pending.size === 0) pooled.worker.emit('idle');
}

function failAll(pooled: PooledWorker, error: Error): void {
  for (const waiting of pooled.pending.values()) waiting.reject(error);
  pooled.pending.clear();
}

async function drainAndTerminate(pooled: PooledWorker): Promise<void> {
  if (pooled.pending.size > 0) await new Promise((resolve) => pooled.worker.once('idle', resolve));
  await pooled.worker.terminate();
}
