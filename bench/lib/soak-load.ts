// The load of the soak benchmark (bench/soak.ts): HL7 v2 senders over MLLP and FHIR API clients,
// each either as fast as it can (to find the peak) or paced to a rate, recording every latency
// with the time it was taken, so the soak can be cut into windows.
import { connect, type Socket } from 'node:net';
import { createMllpDecoder, encodeFrame } from '../../src/hl7v2/index.ts';
import { syntheticMessage } from './hl7-messages.ts';

/** One measured operation: when it ended (ms since the start of the run) and how long it took. */
export interface Sample {
  at: number;
  ms: number;
}

export interface LoadRecord {
  ack: Sample[];
  read: Sample[];
  write: Sample[];
  /** Anything that was not an AA or a 2xx. */
  failures: string[];
}

export function emptyRecord(): LoadRecord {
  return { ack: [], read: [], write: [], failures: [] };
}

/** Rate per second for the whole load kind (`Infinity`: as fast as answers come), until `stopAt`. */
export interface Pace {
  rate: number;
  stopAt: number;
  origin: number;
}

/** Waits until the `n`-th operation of a lane falls due (lanes share the rate equally). */
async function due(pace: Pace, lane: { n: number; lanes: number }): Promise<void> {
  if (!Number.isFinite(pace.rate)) return;
  const when = pace.origin + ((lane.n * lane.lanes) / pace.rate) * 1000;
  const wait = when - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** HL7 v2 over MLLP: `connections` senders, each waiting for its ACK (original mode). */
export async function hl7Load(
  port: number,
  {
    connections,
    pace,
    record,
    prefix,
  }: { connections: number; pace: Pace; record: LoadRecord; prefix: string },
): Promise<void> {
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const socket = connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      const next = ackWaiter(socket);
      for (let n = 0; performance.now() < pace.stopAt; n++) {
        await due(pace, { n, lanes: connections });
        const message = syntheticMessage(n * connections + c, prefix);
        const started = performance.now();
        socket.write(encodeFrame(message));
        const ack = await next();
        record.ack.push({ at: performance.now() - pace.origin, ms: performance.now() - started });
        if (!ack.includes('MSA|AA|')) record.failures.push(`ACK ${ack.slice(0, 80)}`);
      }
      socket.end();
    }),
  );
}

function ackWaiter(socket: Socket): () => Promise<string> {
  const decoder = createMllpDecoder(1 << 20);
  let waiting: ((ack: string) => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) if (event.kind === 'frame') waiting?.(event.payload.toString());
  });
  return () => new Promise<string>((resolve) => (waiting = resolve));
}

/** FHIR clients: half writes (an Observation for one of `patients`), half reads (read or search). */
export async function fhirLoad(
  base: string,
  options: { clients: number; token: string; patients: string[]; pace: Pace; record: LoadRecord },
): Promise<void> {
  const { clients, token, patients, pace, record } = options;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' };
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; performance.now() < pace.stopAt; n++) {
        await due(pace, { n, lanes: clients });
        const patient = patients[(n * clients + c) % patients.length]!;
        const write = n % 2 === 0;
        const started = performance.now();
        const response = await fetch(...fhirRequest(base, { write, patient, n, headers }));
        await response.arrayBuffer();
        const sample = { at: performance.now() - pace.origin, ms: performance.now() - started };
        (write ? record.write : record.read).push(sample);
        if (!response.ok) record.failures.push(`HTTP ${response.status}`);
      }
    }),
  );
}

function fhirRequest(
  base: string,
  {
    write,
    patient,
    n,
    headers,
  }: { write: boolean; patient: string; n: number; headers: Record<string, string> },
): [string, RequestInit] {
  if (write) {
    const observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      subject: { reference: `Patient/${patient}` },
      effectiveDateTime: '2026-12-01T10:00:00Z',
      valueQuantity: {
        value: 60 + (n % 40),
        unit: '/min',
        system: 'http://unitsofmeasure.org',
        code: '/min',
      },
    };
    return [`${base}/fhir/Observation`, { method: 'POST', headers, body: JSON.stringify(observation) }];
  }
  const path =
    n % 4 === 1 ? `Patient/${patient}` : `Observation?subject=Patient/${patient}&_sort=-date&_count=10`;
  return [`${base}/fhir/${path}`, { headers }];
}
