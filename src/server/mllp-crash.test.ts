import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { createMllpDecoder, encodeFrame } from '../hl7v2/index.ts';
import { postgresSkipReason } from '../store/testing/backends.ts';
import {
  prepareServerProcess,
  startServerProcess,
  waitUntilReady,
  type ServerProcess,
} from './testing/server-process.ts';

/**
 * The reliability promise of the HL7 v2 listener: kill the server with SIGKILL in the middle of
 * a stream, restart it, let the sender resend everything it sent; every message that was
 * acknowledged before the kill is there, and no message produced its resources twice.
 * Server PostgreSQL only: it is the durability of a real database that is under test.
 */
const messages = Array.from(
  { length: 120 },
  (_, i) =>
    [
      `MSH|^~\\&|LAB|NORTH|TL|CLINIC|20261123083000||ORU^R01^ORU_R01|CRASH-${i}|P|2.5.1`,
      `PID|1||CRASH-MRN-${i % 20}^^^RIVERSIDE^MR||Family${i % 20}^Given||19800101|F`,
      `OBR|1|ORD-${i}^GP|LAB-${i}^NORTH|4548-4^HbA1c^LN|||20261120090000|||||||||||||||||F`,
      `OBX|1|NM|4548-4^HbA1c^LN||${6 + (i % 10) / 10}|%^%^UCUM|4.0-5.6|H|||F`,
    ].join('\r') + '\r',
);

async function canConnect(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

/**
 * Sends payloads[from..] in order on one connection, each after the previous ACK; calls onAck
 * after each ACK; resolves with the index of the first payload not acknowledged when the
 * connection ends (a crash, or all done).
 */
async function stream(
  port: number,
  payloads: string[],
  from: number,
  onAck: (index: number, ack: string) => void,
): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  const decoder = createMllpDecoder(1 << 20);
  let next = from;
  return new Promise<number>((resolve) => {
    socket.on('connect', () => socket.write(encodeFrame(payloads[next]!)));
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== 'frame') continue;
        onAck(next, event.payload.toString());
        next++;
        if (next < payloads.length) socket.write(encodeFrame(payloads[next]!));
        else socket.end();
      }
    });
    socket.on('close', () => resolve(next));
    socket.on('error', () => undefined); // 'close' follows and resolves
  });
}

/** Like a real sender after an outage: resend from the first unacknowledged message until all are acknowledged. */
async function resendAll(server: ServerProcess, port: number, onAck: (ack: string) => void): Promise<void> {
  const deadline = Date.now() + 60_000;
  let from = 0;
  while (from < messages.length) {
    if (Date.now() > deadline) throw new Error(`resend stalled at ${from}:\n${server.stderr()}`);
    from = await stream(port, messages, from, (_index, ack) => onAck(ack));
    if (from < messages.length) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The timeout only guards against a hang: two process starts, one migrating a fresh schema,
// took this past 120 s at load 23 on 2 cores.
test(
  'SIGKILL mid-stream: every acknowledged message survives, nothing is written twice',
  { skip: postgresSkipReason, timeout: 300_000 },
  async () => {
    const { env, port, mllpPort, schema, admin, drop } = await prepareServerProcess({
      schemaPrefix: 'crash',
    });
    try {
      let server = startServerProcess(env);
      await waitUntilReady(server, { port, alsoReady: () => canConnect(mllpPort) });
      const acked = new Set<number>();
      await stream(mllpPort, messages, 0, (index, ack) => {
        if (ack.includes('MSA|AA|')) acked.add(index);
        if (acked.size === 40) server.process.kill('SIGKILL');
      });
      assert.ok(
        acked.size >= 40 && acked.size < messages.length,
        `killed mid-stream after ${acked.size} ACKs`,
      );
      if (server.process.exitCode === null && server.process.signalCode === null)
        await once(server.process, 'exit');
      server = startServerProcess(env);
      await waitUntilReady(server, { port, alsoReady: () => canConnect(mllpPort) });
      const resent: string[] = [];
      await resendAll(server, mllpPort, (ack) => resent.push(ack));
      server.process.kill('SIGTERM');
      assert.equal(resent.length, messages.length, server.stderr());
      assert.ok(
        resent.every((ack) => ack.includes('MSA|AA|')),
        'after restart every message is accepted (resends answered from the store)',
      );
      const stored = await admin.query<{ control_id: string; n: string }>(
        `SELECT control_id, count(*)::text AS n FROM ${schema}.inbound_message WHERE status = 'processed' GROUP BY control_id`,
      );
      const processed = new Map(stored.rows.map((row) => [row.control_id, Number(row.n)]));
      for (const index of acked)
        assert.equal(
          processed.get(`CRASH-${index}`),
          1,
          `CRASH-${index} was acknowledged and must be stored once`,
        );
      const counts = await admin.query<{ resource_type: string; n: string }>(
        `SELECT resource_type, count(*)::text AS n FROM ${schema}.resource WHERE NOT deleted AND content NOT LIKE '%"code":"golden"%' GROUP BY resource_type`,
      );
      const byType = Object.fromEntries(counts.rows.map((row) => [row.resource_type, Number(row.n)]));
      assert.equal(
        byType.Patient,
        20,
        'one source record per MRN (golden records made by identity are not counted)',
      );
      assert.equal(byType.Observation, messages.length);
      assert.equal(byType.DiagnosticReport, messages.length);
    } finally {
      await drop();
    }
  },
);
