import { connect } from 'node:net';
import { FS, VT, hl7Message, mllpBytes } from './fuzz-hl7.ts';
import { jsonInput } from './fuzz-fhir.ts';
import { weighted, type Gen } from './fuzz-random.ts';
import { getUrl, searchForm } from './fuzz-urls.ts';

/**
 * One fuzz input as data (so a failing one can be kept, verbatim, as a regression case) and how
 * to send it: over HTTP with a token (the admin client's, none, or a broken one) or over MLLP.
 */
export type FuzzInput =
  | { kind: 'http'; method: string; path: string; body?: string; contentType?: string; auth?: 'none' | 'bad' }
  | { kind: 'hl7'; body: string; encoding: 'utf8' | 'latin1' }
  | { kind: 'mllp'; base64: string; chunks: number };

/** What came back: an HTTP status (or the ACK codes over MLLP) and the text to judge it by. */
export interface Answer {
  status: number;
  text: string;
}

/** Longer than any honest answer takes: a request still open after it is a hang. */
export const ANSWER_TIMEOUT_MS = 10_000;

export const fuzzInput: Gen<FuzzInput> = weighted<FuzzInput>(
  [35, (random) => ({ kind: 'http', ...jsonInput(random) })],
  [35, (random) => ({ kind: 'http', method: 'GET', path: getUrl(random) })],
  [
    6,
    (random) => ({
      kind: 'http',
      method: 'POST',
      ...searchForm(random),
      contentType: 'application/x-www-form-urlencoded',
    }),
  ],
  [
    3,
    (random) => ({
      kind: 'http',
      method: random.pick(['GET', 'DELETE']),
      path: getUrl(random),
      auth: random.pick(['none', 'bad'] as const),
    }),
  ],
  [
    10,
    (random) => ({
      kind: 'hl7',
      body: hl7Message(random),
      encoding: random.pick(['utf8', 'latin1'] as const),
    }),
  ],
  [8, (random) => ({ kind: 'mllp', base64: mllpBytes(random).toString('base64'), chunks: random.int(1, 3) })],
);

export interface Target {
  url: string;
  mllpPort: number;
  token: string;
}

async function sendHttp(target: Target, input: Extract<FuzzInput, { kind: 'http' }>): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (input.auth !== 'none')
    headers.authorization = `Bearer ${input.auth === 'bad' ? 'eyJhbGciOiJub25lIn0.e30.' : target.token}`;
  if (input.contentType) headers['content-type'] = input.contentType;
  const response = await fetch(target.url + input.path, {
    method: input.method,
    headers,
    body: input.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  return { status: response.status, text: await response.text() };
}

async function sendHl7(target: Target, input: Extract<FuzzInput, { kind: 'hl7' }>): Promise<Answer> {
  const response = await fetch(`${target.url}/hl7v2`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'x-application/hl7-v2+er7' },
    body: Buffer.from(input.body, input.encoding),
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  return { status: response.status, text: await response.text() };
}

let sentinels = 0;

/**
 * The bytes on a new connection, then FS CR (ends a frame the input left open) and a sentinel
 * message: its ACK proves every frame before it was answered (a connection answers in order).
 */
async function sendMllp(target: Target, input: Extract<FuzzInput, { kind: 'mllp' }>): Promise<Answer> {
  const controlId = `FZ-SENTINEL-${++sentinels}`;
  const sentinel = `MSH|^~\\&|FUZZ|FUZZ|TL|CLINIC|20261123083000||ADT^A08^ADT_A01|${controlId}|P|2.5\rPID|1||FZ-SENTINEL^^^FUZZ^MR||Sentinel^Sam||19700101|U\r`;
  const bytes = Buffer.from(input.base64, 'base64');
  const socket = connect(target.mllpPort, '127.0.0.1');
  let received = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ACK for ${controlId} in ${ANSWER_TIMEOUT_MS} ms`)),
        ANSWER_TIMEOUT_MS,
      );
      const settle = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      socket.on('error', settle);
      socket.on('close', () => settle(new Error(`connection closed before the ACK of ${controlId}`)));
      socket.on('data', (data: Buffer) => {
        received += data.toString('latin1');
        if (received.includes(`|${controlId}`)) settle();
      });
      socket.once('connect', () => {
        const size = Math.ceil(bytes.length / input.chunks);
        for (let at = 0; at < bytes.length; at += size) socket.write(bytes.subarray(at, at + size));
        socket.write(`${FS}\r${VT}${sentinel}${FS}\r`);
      });
    });
  } finally {
    socket.destroy();
  }
  const codes = [...received.matchAll(/MSA\|(\w*)/g)].map((match) => match[1]).join(',');
  return { status: 200, text: `ACKs ${codes}\n${received}` };
}

export function send(target: Target, input: FuzzInput): Promise<Answer> {
  if (input.kind === 'http') return sendHttp(target, input);
  if (input.kind === 'hl7') return sendHl7(target, input);
  return sendMllp(target, input);
}

/** What is wrong with an answer: a 5xx, or an HL7 ACK that reports an internal error (the MLLP 5xx). */
export function problemOf(answer: Answer): string | undefined {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (/Internal error while processing/.test(answer.text)) return 'ACK with an internal error';
  return undefined;
}
