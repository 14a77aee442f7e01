// A TCP load balancer for the scale-out benchmark: round robin over backends, the next one
// when a backend refuses (it died), and a count of the MLLP frames (ACKs) each backend sent.
import { connect, createServer, type Socket } from 'node:net';

export interface Balancer {
  port: number;
  /** ACK frames sent back by each backend (by index). */
  acks: number[];
  close(): Promise<void>;
}

const END_BLOCK = 0x1c; // MLLP: <FS> ends every frame

export async function startBalancer(backendPorts: number[]): Promise<Balancer> {
  const acks = backendPorts.map(() => 0);
  const open = new Set<Socket>();
  let next = 0;
  const route = (client: Socket, tries: number) => {
    if (tries >= backendPorts.length) return void client.destroy();
    const index = next++ % backendPorts.length;
    const upstream = connect(backendPorts[index]!, '127.0.0.1');
    let connected = false;
    upstream.on('error', () => {
      // Refused (the backend is down): try the next one. Once connected, the client sees the close.
      if (!connected && !client.destroyed) route(client, tries + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      open.add(upstream);
      upstream.on('close', () => (open.delete(upstream), client.destroy()));
      upstream.on('data', (chunk: Buffer) => {
        for (const byte of chunk) if (byte === END_BLOCK) acks[index]!++;
      });
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('error', () => undefined);
    client.on('close', () => open.delete(client));
    route(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    acks,
    close() {
      for (const socket of open) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
