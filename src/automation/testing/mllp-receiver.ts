import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  buildAck,
  createMllpDecoder,
  encodeFrame,
  hl7Timestamp,
  parseMessage,
  readHeader,
} from '../../hl7v2/index.ts';

/** A receiving system on a real TCP socket: it keeps what arrives and answers each message with an ACK. */
export interface MllpReceiver {
  port: number;
  /** Every message that arrived (also those it did not acknowledge). */
  received: string[];
  /** The next `count` messages get no ACK: the connection is closed instead. */
  dropNext(count: number): void;
  close(): Promise<void>;
}

export async function startMllpReceiver(): Promise<MllpReceiver> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  let drops = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const decoder = createMllpDecoder(16 * 1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== 'frame') continue;
        received.push(event.payload.toString('utf8'));
        if (drops > 0) {
          drops--;
          socket.destroy();
          return;
        }
        const request = readHeader(parseMessage(event.payload));
        const ack = buildAck({
          request,
          code: 'AA',
          controlId: `ACK${received.length}`,
          timestamp: hl7Timestamp(new Date()),
        });
        socket.write(encodeFrame(ack));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    received,
    dropNext: (count) => (drops += count),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
