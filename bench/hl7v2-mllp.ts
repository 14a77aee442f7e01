// HL7 v2 over MLLP end to end (issue 3): 8 connections, ADT+ORU mix for synthetic patients, each
// connection waiting for its ACK before sending the next (per-connection order), on server
// PostgreSQL (and PGlite). Target: ≥ 1,000 messages/s, p99 ACK latency ≤ 50 ms.
//   npx node bench/hl7v2-mllp.ts [postgres|pglite] [messages]
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { createMllpDecoder, encodeFrame } from '../src/hl7v2/index.ts';
import { measureCpu, ms, percentile } from './lib/stats.ts';
import { startBenchPlatform, type BenchBackend } from './lib/bench-platform.ts';
import { syntheticMessages } from './lib/hl7-messages.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { worker: { type: 'string', default: 'in-process' } },
});
const backend = (positionals[0] ?? 'postgres') as BenchBackend;
const total = Number(positionals[1] ?? 4000);
/** in-process: reactions in the platform process; process: a `throughline worker` beside it; off. */
const workerMode = values.worker as 'in-process' | 'process' | 'off';
const connections = 8;

async function runConnection(port: number, messages: string[], latencies: number[]): Promise<number> {
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
    latencies.push(performance.now() - started);
    if (ack.includes('MSA|AA|')) accepted++;
  }
  socket.end();
  return accepted;
}

const platform = await startBenchPlatform(
  backend,
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  { backgroundWorker: workerMode === 'in-process' },
);
try {
  await runConnection(platform.mllpPort, syntheticMessages(200, 'WARM'), []);
  const all = syntheticMessages(total);
  const latencies: number[] = [];
  const started = performance.now();
  const { result: accepted, summary: cpu } = await measureCpu(() =>
    Promise.all(
      Array.from({ length: connections }, (_, c) =>
        runConnection(
          platform.mllpPort,
          all.filter((_, i) => i % connections === c),
          latencies,
        ),
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const ok = accepted.reduce((sum, n) => sum + n, 0);
  console.log(
    `| ${backend} | MLLP, ${connections} connections, ADT A08 + ORU R01 (3 OBX) | ${total} messages (${ok} AA) in ${seconds.toFixed(1)} s | **${Math.round(total / seconds)} messages/s**, ACK p50 ${ms(percentile(latencies, 50))} ms, p95 ${ms(percentile(latencies, 95))} ms, **p99 ${ms(percentile(latencies, 99))} ms** |`,
  );
  console.log(cpu);
} finally {
  await platform.stop();
}
