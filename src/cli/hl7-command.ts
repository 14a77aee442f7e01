import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { createMllpDecoder, encodeFrame, messagesInFile, parseMessage, readHeader } from '../hl7v2/index.ts';
import { findImportFiles } from '../ingest/index.ts';

const usage = `usage: throughline hl7 send <files or folders…> [--host H] [--port P]

Sends every message in the files (.hl7, .txt; batch files are split) over MLLP, one at a time
on one connection, and prints each message's ACK MSA lines (enhanced mode: the accept ACK,
then the application ACK). Exit code 1 if any ACK is not AA/CA.`;

/** `throughline hl7 send`: an MLLP client for integration engineers and tests. */
export async function hl7Command(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '2575' },
      help: { type: 'boolean' },
    },
  });
  const [verb, ...paths] = positionals;
  if (values.help || verb !== 'send' || paths.length === 0) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const messages: { file: string; payload: Buffer }[] = [];
  for (const file of await findImportFiles(paths, ['.hl7', '.txt', '.er7'])) {
    for (const payload of messagesInFile(await readFile(file))) messages.push({ file, payload });
  }
  const answers = await sendAll(
    values.host,
    Number(values.port),
    messages.map((message) => message.payload),
  );
  let failures = 0;
  for (const [index, acks] of answers.entries()) {
    const lines = acks.map(
      (ack) => ack.split('\r').find((segment) => segment.startsWith('MSA')) ?? '(no MSA)',
    );
    if (lines.some((msa) => !/^MSA\|(AA|CA)\|/.test(msa))) failures++;
    console.log(
      `${messages[index]!.file}: ${lines.join('  ') || '(no acknowledgment: none asked for by MSH-15/16)'}`,
    );
  }
  console.log(`${answers.length} sent, ${answers.length - failures} accepted, ${failures} not accepted`);
  return failures > 0 ? 1 : 0;
}

/**
 * What a message asks for: its MSH-10, and how long to wait for its first acknowledgment.
 * Original mode, or MSH-15 AL/empty, always gets one; under ER, SU or NE the server may
 * rightly send nothing, so silence after a moment is an answer too.
 */
function expectation(payload: Buffer): { controlId?: string; waitMs: number } {
  try {
    const header = readHeader(parseMessage(payload));
    const accept = header.acceptAckType?.toUpperCase() ?? '';
    const certain = (!accept && !header.applicationAckType) || accept === '' || accept === 'AL';
    return { controlId: header.controlId, waitMs: certain ? 30_000 : 2_000 };
  } catch {
    return { waitMs: 30_000 };
  }
}

/**
 * Sends one message at a time and collects its acknowledgments, matched by MSA-2: one in
 * original mode; in enhanced mode the accept ACK and, when asked for, the application ACK
 * that follows it (gathered until the next message is answered, or briefly at the end).
 */
async function sendAll(host: string, port: number, payloads: Buffer[]): Promise<string[][]> {
  const socket = connect(port, host);
  const decoder = createMllpDecoder(64 * 1024 * 1024);
  const answers: string[][] = payloads.map(() => []);
  const byControlId = new Map<string, number>();
  let waiting: { index: number; resolve(): void } | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind !== 'frame') continue;
      const ack = event.payload.toString('utf8');
      const answered = /\rMSA\|\w*\|([^|\r]*)/.exec(ack)?.[1];
      const index = (answered !== undefined ? byControlId.get(answered) : undefined) ?? waiting?.index;
      if (index === undefined) continue;
      answers[index]!.push(ack);
      if (waiting?.index === index) waiting.resolve();
    }
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const [index, payload] of payloads.entries()) {
    const { controlId, waitMs } = expectation(payload);
    if (controlId) byControlId.set(controlId, index);
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolve) => {
      waiting = { index, resolve };
      timer = setTimeout(resolve, waitMs);
    });
    socket.write(encodeFrame(payload));
    await answered;
    clearTimeout(timer);
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // a last application ACK
  socket.end();
  return answers;
}
