import { createServer, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** One request a receiver got, and the status it answered. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface HookReceiver {
  url: string;
  received: Received[];
  /** The status of the next answers, in order (then 200): `[500]` fails the first request once. */
  failNext(statuses: number[]): void;
  /** Paths that always answer this status. */
  failAlways(path: string, status: number): void;
  /** Runs `act` on each request to `path` before answering it (to look at the sender's state then). */
  beforeAnswer(path: string, act: () => Promise<unknown>): void;
  close(): Promise<void>;
}

/** A real HTTP server on loopback that records what subscriptions deliver to it. */
export async function startHookReceiver(): Promise<HookReceiver> {
  const received: Received[] = [];
  const queued: number[] = [];
  const always = new Map<string, number>();
  const acts = new Map<string, () => Promise<unknown>>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const path = request.url ?? '/';
      await acts.get(path)?.();
      const status = always.get(path) ?? queued.shift() ?? 200;
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: request.method ?? '', path, headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext: (statuses) => queued.push(...statuses),
    failAlways: (path, status) => always.set(path, status),
    beforeAnswer: (path, act) => acts.set(path, act),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
