import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { requestProvider } from './provider-request.ts';

/** A server that answers every POST with its body echoed, except to /late (after 1.5 s); counts connections. */
async function echoServer() {
  const hanging: ServerResponse[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/late') {
        hanging.push(response);
        return void setTimeout(() => response.end('{}'), 1_500).unref();
      }
      response.writeHead(request.url === '/busy' ? 429 : 201, {
        'content-type': 'application/json',
        'retry-after': '7',
      });
      response.end(JSON.stringify({ method: request.method, body, type: request.headers['content-type'] }));
    });
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    connections: () => connections,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const post = (url: string, timeoutMs = 2_000) =>
  requestProvider({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'To=%2B15550001111&Body=Ol%C3%A1',
    timeoutMs,
  });

test('a request sends its body and headers and reads the whole answer; sequential sends share one connection', async () => {
  const server = await echoServer();
  try {
    const first = await post(`${server.url}/Messages.json`);
    assert.equal(first.ok, true);
    assert.equal(first.status, 201);
    assert.deepEqual(JSON.parse(first.text), {
      method: 'POST',
      body: 'To=%2B15550001111&Body=Ol%C3%A1',
      type: 'application/x-www-form-urlencoded',
    });
    const busy = await post(`${server.url}/busy`);
    assert.equal(busy.ok, false);
    assert.equal(busy.status, 429);
    assert.equal(busy.headers.get('Retry-After'), '7');
    assert.equal(busy.headers.get('x-absent'), null);
    assert.equal(server.connections(), 1, 'the second send reused the kept-alive connection');
  } finally {
    await server.close();
  }
});

test('no answer in time is a TimeoutError, as with fetch, and comes at the timeout', async () => {
  const server = await echoServer();
  try {
    // The provider answers after 1.5 s, on the timers of this same thread: a request that waited
    // past its 150 ms would get that answer, however loaded the machine (no wall-time bound).
    const error = await post(`${server.url}/late`, 150).then(
      () => assert.fail('a provider slower than the timeout must time out'),
      (failure: Error) => failure,
    );
    assert.equal(error.name, 'TimeoutError');
  } finally {
    await server.close();
  }
});

test('a refused connection fails with the socket error as its cause', async () => {
  const server = await echoServer();
  const { url } = server;
  await server.close();
  const error = await post(url).then(
    () => assert.fail('nobody listens'),
    (failure: Error & { cause?: { code?: string } }) => failure,
  );
  assert.equal(error.cause?.code, 'ECONNREFUSED');
  assert.match(error.message, /ECONNREFUSED/);
});
