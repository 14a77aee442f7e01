import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../kernel/config.ts';
import { isThroughlineError } from '../kernel/errors.ts';
import { silentLogger } from '../kernel/logger.ts';
import { startPlatform } from '../server/index.ts';

/**
 * Only a guard against a hang: the CLI must exit by itself, and does in a second or two on a quiet
 * machine; a machine shared with a whole test suite may need minutes to start it at all (over 60 s
 * at load 23 on 2 cores, over 120 s when it also migrated a fresh data folder at load 28).
 */
const HANG_GUARD_MS = 300_000;

/**
 * Issue 12: a start whose port was taken never exited (the background worker kept polling the
 * closed database, logging "PGlite is closed" forever), and a stop that hung kept the process
 * alive after SIGTERM. Now a failed start closes what it opened and exits 1; a stop ends within
 * SHUTDOWN_GRACE_SECONDS. One data folder for all (only the first start migrates it).
 */
const cli = 'src/cli/main.ts';

async function bound(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

/** `throughline start --no-seed` as a child process; resolves its exit code and output. */
function startCli(env: Record<string, string>, onStdout?: (text: string) => void) {
  const child = spawn(process.execPath, [cli, 'start', '--no-seed'], {
    env: { ...process.env, DATABASE_URL: '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    onStdout?.(output);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
  return { child, exited };
}

describe('throughline start: failing fast and stopping in time', () => {
  let dataDir: string;
  let taken: { server: Server; port: number };
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'throughline-start-'));
    taken = await bound();
  });
  after(() => {
    taken.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('startPlatform on a port already bound rejects with LISTEN_FAILED naming PORT', async () => {
    const config = parseConfig({ DATA_DIR: dataDir, PORT: String(taken.port), HOST: '127.0.0.1' });
    await assert.rejects(startPlatform(config, { logger: silentLogger }), (error: unknown) => {
      assert.ok(isThroughlineError(error) && error.code === 'LISTEN_FAILED', String(error));
      assert.match(error.message, /already in use: set PORT/);
      return true;
    });
  });

  test('the CLI exits 1 at once when the MLLP port is taken, after the HTTP listener started', async () => {
    const { port: httpPort, server } = await bound();
    server.close();
    const { child, exited } = startCli({
      DATA_DIR: dataDir,
      PORT: String(httpPort),
      MLLP_PORT: String(taken.port),
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
    const { code, output } = await exited;
    clearTimeout(timer);
    assert.equal(code, 1, output);
    assert.match(output, /MLLP address .* is already in use: set MLLP_PORT/);
    assert.doesNotMatch(output, /PGlite is closed/);
  });

  test('SIGTERM with a request that never ends: the process exits after SHUTDOWN_GRACE_SECONDS, saying so', async () => {
    let isRunning: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (isRunning = resolve));
    const { child, exited } = startCli(
      { DATA_DIR: dataDir, PORT: '0', SHUTDOWN_GRACE_SECONDS: '1' },
      (out) => {
        const match = /"url":"(http:\/\/[^"]+)\/fhir".*Throughline is running/.exec(out);
        if (match) isRunning(match[1]!);
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
    // A process that ends (or is ended by the hang guard) before it runs fails the test, not hangs it.
    const running = await Promise.race([url, exited]);
    if (typeof running !== 'string') assert.fail(`exited ${running.code} before running:\n${running.output}`);
    const { port } = new URL(running);
    // A request whose body never finishes: Fastify's close waits for it. The server's
    // "100 Continue" says it holds the request (a fixed pause could end before it read it).
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(
      'POST /fhir HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n',
    );
    const interim = await new Promise<string>((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      socket.once('close', () => resolve('closed without an answer'));
    });
    assert.match(interim, /^HTTP\/1\.1 100 Continue/);
    socket.write('{');
    const signalled = Date.now();
    child.kill('SIGTERM');
    const { code, output } = await exited;
    clearTimeout(timer);
    socket.destroy();
    assert.equal(code, 1, output);
    // Without the grace timer it would wait for the request until the hang guard (120 s); 30 s
    // leaves a loaded machine room to start and stop the process without calling that a hang.
    assert.ok(Date.now() - signalled < 30_000, `exited ${Date.now() - signalled} ms after SIGTERM`);
    assert.match(output, /still running after SHUTDOWN_GRACE_SECONDS: exiting now/);
  });
});
