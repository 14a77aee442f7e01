import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Logger } from '../kernel/logger.ts';
import { createMllpDecoder, encodeFrame } from '../hl7v2/index.ts';
import {
  createHl7v2Receiver,
  rejectOversizedFrame,
  type Hl7v2Deps,
  type Hl7v2Receiver,
} from '../ingest/index.ts';

export interface MllpOptions {
  port: number;
  host: string;
  deps: Hl7v2Deps;
  logger: Logger;
  /** Largest frame accepted; larger ones are refused (AR) without being buffered. */
  maxFrameBytes?: number;
  /** Close a connection that sends nothing for this long. */
  idleTimeoutMs?: number;
  /** PEM files; when given, connections are TLS (MLLP over TLS, as IHE ATNA asks). */
  tls?: { certFile: string; keyFile: string };
}

export interface MllpListener {
  port: number;
  stop(): Promise<void>;
}

/**
 * The MLLP transport: thin on purpose (house rule 3) — sockets, framing and ordering here;
 * parsing, storing and mapping in the pure model and the ingest pipeline. Each connection
 * handles its messages strictly in order (a promise chain per socket); connections are
 * independent of each other, and one bad frame never closes the others.
 */
export async function startMllpListener(options: MllpOptions): Promise<MllpListener> {
  const sockets = new Set<Socket>();
  // One receiver for all connections: messages arriving together are committed together.
  const receiver = createHl7v2Receiver(options.deps);
  const onConnection = (socket: Socket) => handleConnection(socket, options, sockets, receiver);
  const server: Server = options.tls
    ? createTlsServer(
        { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) },
        onConnection,
      )
    : createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function handleConnection(
  socket: Socket,
  options: MllpOptions,
  sockets: Set<Socket>,
  receiver: Hl7v2Receiver,
): void {
  sockets.add(socket);
  const decoder = createMllpDecoder(options.maxFrameBytes ?? 16 * 1024 * 1024);
  const remote = `${socket.remoteAddress}:${socket.remotePort}`;
  let chain = Promise.resolve();
  socket.setTimeout(options.idleTimeoutMs ?? 10 * 60_000, () => socket.end());
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', (error) => options.logger.debug({ err: error, remote }, 'MLLP connection error'));
  socket.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      chain = chain
        .then(() => answer(socket, event, options, remote, receiver))
        .catch((error: unknown) => {
          options.logger.error({ err: error, remote }, 'MLLP message handling failed');
        });
    }
  });
}

async function answer(
  socket: Socket,
  event: ReturnType<ReturnType<typeof createMllpDecoder>['push']>[number],
  options: MllpOptions,
  remote: string,
  receiver: Hl7v2Receiver,
): Promise<void> {
  if (event.kind === 'garbage') return;
  if (event.kind === 'oversized') {
    const ack = await rejectOversizedFrame(options.deps, event, { kind: 'mllp', remote });
    if (!socket.destroyed) socket.write(encodeFrame(ack));
    return;
  }
  const result = await receiver.receive(event.payload, { kind: 'mllp', remote });
  // Original mode: the ACK. Enhanced mode: the accept ACK, then the application ACK, on this
  // connection, each only if MSH-15/MSH-16 ask for it.
  for (const ack of result.send) if (!socket.destroyed) socket.write(encodeFrame(ack));
}
