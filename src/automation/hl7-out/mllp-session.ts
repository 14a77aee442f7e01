import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { createMllpDecoder, encodeFrame } from '../../hl7v2/index.ts';
import { backgroundRoundTrip } from '../../store/index.ts';

/** Where to send, and how long to wait for the connection and for each ACK. */
export interface MllpTarget {
  host: string;
  port: number;
  tls: boolean;
  timeoutMs: number;
}

/** One connection to a destination: a message at a time, each answered by its ACK. */
export interface MllpSession {
  /** Sends one message and resolves with the ACK frame; rejects on timeout or a lost connection. */
  send(message: string): Promise<Buffer>;
  close(): void;
}

const MAX_ACK_BYTES = 1024 * 1024;

/**
 * The thin transport of house rule 3: framing is `src/hl7v2/mllp-framing.ts`, this only moves
 * bytes. Original mode: the next message goes only after the previous one's ACK.
 */
export async function openMllpSession(target: MllpTarget): Promise<MllpSession> {
  const socket = await connected(target);
  const decoder = createMllpDecoder(MAX_ACK_BYTES);
  let waiting: { resolve(ack: Buffer): void; reject(error: Error): void } | undefined;
  const fail = (error: Error) => {
    waiting?.reject(error);
    waiting = undefined;
  };
  socket.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk))
      if (event.kind === 'frame' && waiting) {
        waiting.resolve(event.payload);
        waiting = undefined;
      }
  });
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed before the ACK')));
  return {
    // The destination's time to ACK is not ours: the background turn ends as the message goes
    // out and the ACK waits for the next one (`backgroundRoundTrip`), as a notification's answer does.
    send(message) {
      return backgroundRoundTrip(() => ackOf(message));
    },
    close: () => socket.destroy(),
  };

  function ackOf(message: string): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`no ACK within ${target.timeoutMs} ms`)),
        target.timeoutMs,
      );
      const done = (then: () => void) => (clearTimeout(timer), then());
      waiting = {
        resolve: (ack) => done(() => resolve(ack)),
        reject: (error) => done(() => reject(error)),
      };
      socket.write(encodeFrame(Buffer.from(message, 'utf8')));
    });
  }
}

function connected(target: MllpTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const { host, port } = target;
    const socket = target.tls ? connectTls({ host, port, servername: host }) : connect({ host, port });
    const timer = setTimeout(
      () => socket.destroy(new Error(`connect to ${host}:${port} timed out`)),
      target.timeoutMs,
    );
    socket.once(target.tls ? 'secureConnect' : 'connect', () => (clearTimeout(timer), resolve(socket)));
    socket.once('error', (error) => (clearTimeout(timer), reject(error)));
  });
}
