// An HL7 v2 sender for the MLLP benchmark, run as its own process (the sending system is not
// the platform): N connections, each sending its next message only after the ACK of the last
// (per-connection order, as MLLP senders do). Prints one JSON line with what it measured.
//   node bench/lib/mllp-sender.ts <port> <connections> <messages> <control-id prefix>
import { connect } from 'node:net';
import { createMllpDecoder, encodeFrame } from '../../src/hl7v2/index.ts';
import { syntheticMessages } from './hl7-messages.ts';

export interface SenderReport {
  seconds: number;
  accepted: number;
  latencies: number[];
  /** The longest time between two ACKs (any connection): a stall of the platform. */
  maxAckGapMs: number;
}

async function runConnection(
  port: number,
  messages: string[],
  timing: { latencies: number[]; ackTimes: number[] },
): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const decoder = createMllpDecoder(1 << 20);
  let waiting: ((ack: string) => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) if (event.kind === 'frame') waiting?.(event.payload.toString());
  });
  let accepted = 0;
  for (const message of messages) {
    const started = performance.now();
    const ack = await new Promise<string>((resolve) => {
      waiting = resolve;
      socket.write(encodeFrame(message));
    });
    timing.latencies.push(performance.now() - started);
    timing.ackTimes.push(performance.now());
    if (ack.includes('MSA|AA|')) accepted++;
  }
  socket.end();
  return accepted;
}

export async function sendAll(
  port: number,
  connections: number,
  total: number,
  prefix: string,
): Promise<SenderReport> {
  const all = syntheticMessages(total, prefix);
  const latencies: number[] = [];
  const ackTimes: number[] = [];
  const started = performance.now();
  const accepted = await Promise.all(
    Array.from({ length: connections }, (_, c) =>
      runConnection(
        port,
        all.filter((_, i) => i % connections === c),
        { latencies, ackTimes },
      ),
    ),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    accepted: accepted.reduce((sum, n) => sum + n, 0),
    latencies,
    maxAckGapMs: maxGap([started, ...ackTimes]),
  };
}

function maxGap(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).reduce((max, time, i) => Math.max(max, time - sorted[i]!), 0);
}

if (import.meta.main) {
  const [port, connections, total, prefix] = process.argv.slice(2);
  const report = await sendAll(Number(port), Number(connections), Number(total), prefix ?? 'B');
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
