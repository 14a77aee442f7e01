import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { parseConfig } from '../kernel/config.ts';
import { encodeFrame } from '../hl7v2/index.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Issue 12, the MLLP listener: 200 idle connections cost 350 MB and a byte every 5 s defeated
 * the idle timeout. Now connections are capped (MLLP_MAX_CONNECTIONS), a frame must complete
 * within MLLP_FRAME_TIMEOUT_SECONDS, and no frame over MLLP_MAX_FRAME_BYTES is buffered.
 */
const adt = (id: string) =>
  [
    `MSH|^~\\&|REG|RIVERSIDE|THROUGHLINE|CLINIC|20261123083000||ADT^A04^ADT_A01|${id}|P|2.5`,
    'EVN|A04|20261123083000',
    `PID|1||LIMIT-${id}^^^RIVERSIDE^MR||Okafor^Maya||19880412|F`,
  ].join('\r');

describe('MLLP connection and frame limits over real TCP [pglite]', { timeout: 60_000 }, () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform(pgliteBackend, {
      MLLP_MAX_CONNECTIONS: '2',
      MLLP_FRAME_TIMEOUT_SECONDS: '1',
      MLLP_MAX_FRAME_BYTES: '4096',
    });
  });
  after(() => platform.stop());

  const open = async (): Promise<Socket> => {
    const socket = connect(platform.mllpPort, '127.0.0.1');
    // A socket the server cuts off while we still write gets ECONNRESET: 'close' follows.
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    return socket;
  };
  const closed = (socket: Socket) =>
    new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
  /** Sends one frame and resolves the MSA-1 of its ACK. */
  const ackOf = (socket: Socket, payload: string) =>
    new Promise<string>((resolve) => {
      let answer = '';
      const onData = (data: Buffer) => {
        answer += data.toString();
        if (!answer.includes('\x1c')) return;
        socket.off('data', onData);
        resolve(/MSA\|(\w+)/.exec(answer)?.[1] ?? answer);
      };
      socket.on('data', onData);
      socket.write(encodeFrame(payload));
    });

  test('defaults', () => {
    const config = parseConfig({});
    assert.equal(config.mllpMaxConnections, 64);
    assert.equal(config.mllpFrameTimeoutSeconds, 30);
    assert.equal(config.mllpMaxFrameBytes, 16 * 1024 * 1024);
  });

  test('beyond MLLP_MAX_CONNECTIONS a new connection is closed at once; the open ones still work', async () => {
    const first = await open();
    const second = await open();
    const third = connect(platform.mllpPort, '127.0.0.1');
    third.on('error', () => undefined);
    const started = Date.now();
    await closed(third);
    assert.ok(Date.now() - started < 900, 'closed at once, not by a timeout');
    assert.equal(await ackOf(first, adt('CAP-1')), 'AA');
    assert.equal(await ackOf(second, adt('CAP-2')), 'AA');
    first.destroy();
    await closed(first);
    // A slot is free again (once the server has seen the close).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fourth = await open();
    assert.equal(await ackOf(fourth, adt('CAP-3')), 'AA');
    second.destroy();
    fourth.destroy();
    await Promise.all([closed(second), closed(fourth)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  test('a frame trickled in a byte at a time is cut off at MLLP_FRAME_TIMEOUT_SECONDS, idle timeout or not', async () => {
    const socket = await open();
    const frame = encodeFrame(adt('SLOW-1'));
    let sent = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(frame.subarray(sent, ++sent));
    }, 100);
    const started = Date.now();
    await closed(socket);
    clearInterval(drip);
    const elapsed = Date.now() - started;
    assert.ok(sent < frame.length, 'cut off before the frame ended');
    assert.ok(elapsed >= 900 && elapsed < 3000, `closed after ${elapsed} ms`);
  });

  test('bytes outside any frame, trickled in, are cut off too', async () => {
    const socket = await open();
    const drip = setInterval(() => !socket.destroyed && socket.write('x'), 100);
    const started = Date.now();
    await closed(socket);
    clearInterval(drip);
    assert.ok(Date.now() - started < 3000);
  });

  test('frames that complete in time keep the connection open; one over MLLP_MAX_FRAME_BYTES is refused (AR), not buffered', async () => {
    const socket = await open();
    assert.equal(await ackOf(socket, adt('OK-1')), 'AA');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    assert.equal(socket.destroyed, false, 'no frame open: only the idle timeout applies');
    const big = adt('BIG-1') + '\rNTE|1||' + 'x'.repeat(8000);
    assert.equal(await ackOf(socket, big), 'AR');
    assert.equal(await ackOf(socket, adt('OK-2')), 'AA');
    socket.destroy();
  });
});
