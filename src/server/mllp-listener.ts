import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import { isDatabaseUnavailable } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import { createMllpDecoder, encodeFrame } from '../hl7v2/index.ts';
import {
  createHl7v2Receiver,
  rejectOversizedFrame,
  type Hl7v2Deps,
  type Hl7v2Receiver,
} from '../ingest/index.ts';
import { beginInteractive } from '../store/index.ts';

export interface MllpOptions {
  port: number;
  host: string;
  deps: Hl7v2Deps;
  logger: Logger;
  /** Largest frame accepted; larger ones are refused (AR) without being buffered. */
  maxFrameBytes?: number;
  /** Close a connection that sends nothing for this long. */
  idleTimeoutMs?: number;
  /** Most connections open at once; beyond it new ones are closed at once (and logged). */
  maxConnections?: number;
  /**
   * A frame that has started (or bytes outside any frame) must complete within this long, however
   * slowly its bytes trickle in — the idle timeout alone is defeated by a byte every few seconds.
   */
  frameTimeoutMs?: number;
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
  const onConnection = (socket: Socket) => handleConnection(socket, { options, sockets, receiver });
  const server: Server = options.tls
    ? createTlsServer(
        { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) },
        onConnection,
      )
    : createServer(onConnection);
  // Each connection holds a decoder buffer of up to maxFrameBytes: their number is what bounds memory.
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on('drop', (dropped) =>
    options.logger.warn(
      { remote: `${dropped?.remoteAddress}:${dropped?.remotePort}`, max: server.maxConnections },
      'MLLP connection refused: too many connections',
    ),
  );
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

const DEFAULT_MAX_CONNECTIONS = 64;
const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
const DEFAULT_FRAME_TIMEOUT_MS = 30_000;

/** What every connection of one listener shares. */
interface ListenerContext {
  options: MllpOptions;
  /** The open connections, destroyed when the listener stops. */
  sockets: Set<Socket>;
  /** The one receiver of all connections. */
  receiver: Hl7v2Receiver;
}

/** One connection: its socket, the peer's address (for logs and message provenance), its listener. */
interface MllpConnection {
  socket: Socket;
  remote: string;
  listener: ListenerContext;
}

function handleConnection(socket: Socket, listener: ListenerContext): void {
  const { options, sockets } = listener;
  sockets.add(socket);
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const decoder = createMllpDecoder(maxFrameBytes);
  const remote = `${socket.remoteAddress}:${socket.remotePort}`;
  const deadline = frameDeadline(socket, options, remote);
  const queue = inOrder(socket, maxFrameBytes, (error) =>
    dropWithoutAck({ socket, remote, listener }, error),
  );
  socket.setTimeout(options.idleTimeoutMs ?? 10 * 60_000, () => socket.end());
  socket.on('close', () => {
    sockets.delete(socket);
    deadline.clear();
  });
  socket.on('error', (error) => options.logger.debug({ err: error, remote }, 'MLLP connection error'));
  socket.on('data', (chunk: Buffer) => {
    const events = decoder.push(chunk);
    for (const event of events)
      queue(event.kind === 'frame' ? event.payload.length : 0, () =>
        answer({ socket, remote, listener }, event),
      );
    if (events.some((event) => event.kind !== 'garbage')) deadline.clear();
    if (decoder.inFrame() || events.at(-1)?.kind === 'garbage') deadline.start();
  });
}

/**
 * Messages of one connection are handled strictly in order (a promise chain). Frames decoded but
 * not yet handled are memory too: past `maxQueuedBytes` the socket is paused (TCP backpressure)
 * until the chain catches up, so a fast sender cannot queue without bound.
 */
function inOrder(socket: Socket, maxQueuedBytes: number, onError: (error: unknown) => void) {
  let chain = Promise.resolve();
  let queued = 0;
  return (bytes: number, handle: () => Promise<void>) => {
    queued += bytes;
    if (queued > maxQueuedBytes) socket.pause();
    chain = chain
      .then(handle)
      .catch(onError)
      .finally(() => {
        queued -= bytes;
        if (queued <= maxQueuedBytes && socket.isPaused()) socket.resume();
      });
  };
}

/**
 * A message that could not be handled gets no ACK, so its sender resends it (HL7 v2 original
 * mode): while the database is away that is the only honest answer — an AE would tell the
 * sender not to try again. The connection is closed at once, so the sender learns now rather
 * than at its ACK timeout, and the frames queued behind are not handled ahead of the failed one.
 */
function dropWithoutAck({ socket, remote, listener }: MllpConnection, error: unknown): void {
  const { logger } = listener.options;
  if (isDatabaseUnavailable(error))
    logger.warn({ remote }, 'database unavailable: MLLP connection closed without ACK (the sender resends)');
  else logger.error({ err: error, remote }, 'MLLP message handling failed: connection closed without ACK');
  socket.destroy();
}

/** The frame deadline: started when a frame (or stray bytes) begins, cleared when a frame ends. */
function frameDeadline(socket: Socket, options: MllpOptions, remote: string) {
  const ms = options.frameTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const start = () => {
    timer ??= setTimeout(() => {
      options.logger.warn(
        { remote, seconds: ms / 1000 },
        'MLLP frame not completed in time: connection closed',
      );
      socket.destroy();
    }, ms);
  };
  return { start, clear };
}

async function answer(
  connection: MllpConnection,
  event: ReturnType<ReturnType<typeof createMllpDecoder>['push']>[number],
): Promise<void> {
  const { socket, remote, listener } = connection;
  // After a failure the connection is closing: later frames are not handled out of order.
  if (event.kind === 'garbage' || socket.destroyed) return;
  if (event.kind === 'oversized') {
    const ack = await rejectOversizedFrame(listener.options.deps, event, { kind: 'mllp', remote });
    if (!socket.destroyed) socket.write(encodeFrame(ack));
    return;
  }
  // A message is interactive work until it is acknowledged (the sender waits on the ACK).
  const end = beginInteractive();
  const result = await listener.receiver.receive(event.payload, { kind: 'mllp', remote }).finally(end);
  // Original mode: the ACK. Enhanced mode: the accept ACK, then the application ACK, on this
  // connection, each only if MSH-15/MSH-16 ask for it.
  for (const ack of result.send) if (!socket.destroyed) socket.write(encodeFrame(ack));
}
