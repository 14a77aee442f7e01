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
  let attempts = 0;
  /**
   * Connects and sends a first message: 'closed' when the listener refuses the connection (over
   * MLLP_MAX_CONNECTIONS it closes it unanswered), else the connection, its message ACKed.
   */
  const tryConnection = async (): Promise<Socket | 'closed'> => {
    const socket = connect(platform.mllpPort, '127.0.0.1');
    // A socket the server cuts off while we still write gets ECONNRESET: 'close' follows.
    socket.on('error', () => undefined);
    const answer = await Promise.race([ackOf(socket, adt(`OPEN-${++attempts}`)), closed(socket)]);
    if (answer === undefined) return 'closed';
    assert.equal(answer, 'AA');
    return socket;
  };
  /**
   * A connection the listener has let in. A slot is free only once the server has seen the close
   * of the connection that held it, which no event tells this side: a refused attempt is made again.
   */
  const open = async (): Promise<Socket> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const socket = await tryConnection();
      if (socket !== 'closed') return socket;
    }
    throw new Error('no MLLP connection let in after 100 attempts');
  };
  /**
   * Writes `bytes` one at a time every 100 ms until the server closes the connection (true) or
   * all are written and it is still open (false). Counting writes, not milliseconds, bounds the
   * wait: a loaded machine delays the writes as much as it does the server's timers.
   */
  const trickle = (socket: Socket, bytes: Buffer) =>
    new Promise<{ cutOff: boolean; sent: number }>((resolve) => {
      let sent = 0;
      const drip = setInterval(() => {
        if (sent < bytes.length) socket.write(bytes.subarray(sent, ++sent));
        else finish(false);
      }, 100);
      const finish = (cutOff: boolean) => {
        clearInterval(drip);
        resolve({ cutOff, sent });
      };
      void closed(socket).then(() => finish(true));
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
    // Closed, not answered: a connection let in would have its message ACKed. Nothing but the
    // cap closes it: it sends a whole frame (no frame timeout) and the idle timeout is 10 minutes.
    assert.equal(await tryConnection(), 'closed', 'closed at once, not let in');
    assert.equal(await ackOf(first, adt('CAP-1')), 'AA');
    assert.equal(await ackOf(second, adt('CAP-2')), 'AA');
    first.destroy();
    await closed(first);
    // A slot is free again (once the server has seen the close: open() tries until it is let in).
    const fourth = await open();
    assert.equal(await ackOf(fourth, adt('CAP-3')), 'AA');
    second.destroy();
    fourth.destroy();
    await Promise.all([closed(second), closed(fourth)]);
  });

  test('a frame trickled in a byte at a time is cut off at MLLP_FRAME_TIMEOUT_SECONDS, idle timeout or not', async () => {
    const socket = await open();
    const frame = encodeFrame(adt('SLOW-1'));
    const started = performance.now();
    const { cutOff, sent } = await trickle(socket, frame);
    const elapsed = performance.now() - started;
    assert.ok(cutOff && sent < frame.length, 'cut off before the frame ended');
    // A lower bound only (a loaded machine makes it later, never earlier): not cut off at once.
    assert.ok(elapsed >= 900, `closed after ${Math.round(elapsed)} ms`);
  });

  test('bytes outside any frame, trickled in, are cut off too', async () => {
    const socket = await open();
    // 30 bytes at 100 ms: three frame timeouts' worth, and never an idle one.
    const { cutOff } = await trickle(socket, Buffer.from('x'.repeat(30)));
    assert.ok(cutOff);
  });

  test('frames that complete in time keep the connection open; one over MLLP_MAX_FRAME_BYTES is refused (AR), not buffered', async () => {
    const socket = await open();
    assert.equal(await ackOf(socket, adt('OK-1')), 'AA');
    // A frame timeout's wait, as the listener keeps it: another connection's trickled frame is cut off.
    assert.ok((await trickle(await open(), encodeFrame(adt('SLOW-2')))).cutOff);
    assert.equal(socket.destroyed, false, 'no frame open: only the idle timeout applies');
    const big = adt('BIG-1') + '\rNTE|1||' + 'x'.repeat(8000);
    assert.equal(await ackOf(socket, big), 'AR');
    assert.equal(await ackOf(socket, adt('OK-2')), 'AA');
    socket.destroy();
  });
});
