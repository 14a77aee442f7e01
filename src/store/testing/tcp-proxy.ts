import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of server PostgreSQL that a test can cut and restore: the honest way to
 * make "the database is away" for a while without stopping a server other people use. Cut,
 * every open connection is reset and every new one is reset at once (as a restarting server
 * refuses them); restored, connections pass again.
 */
export interface TcpProxy {
  port: number;
  /** Resets every connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  /** Connections open through the proxy now. */
  open(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) return void client.resetAndDestroy();
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) socket.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const cutAll = () => {
    cut = true;
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut: cutAll,
    restore() {
      cut = false;
    },
    open: () => pairs.size,
    close() {
      cutAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
