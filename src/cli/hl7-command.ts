import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { createMllpDecoder, encodeFrame, messagesInFile } from '../hl7v2/index.ts';
import { findImportFiles } from '../ingest/index.ts';

const usage = `usage: throughline hl7 send <files or folders…> [--host H] [--port P]

Sends every message in the files (.hl7, .txt; batch files are split) over MLLP, one at a time
on one connection, and prints each ACK's MSA line. Exit code 1 if any ACK is not AA/CA.`;

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
  const acks = await sendAll(
    values.host,
    Number(values.port),
    messages.map((message) => message.payload),
  );
  let failures = 0;
  for (const [index, ack] of acks.entries()) {
    const msa = ack.split('\r').find((segment) => segment.startsWith('MSA')) ?? '(no MSA)';
    if (!/^MSA\|(AA|CA)\|/.test(msa)) failures++;
    console.log(`${messages[index]!.file}: ${msa}`);
  }
  console.log(`${acks.length} sent, ${acks.length - failures} accepted, ${failures} not accepted`);
  return failures > 0 ? 1 : 0;
}

async function sendAll(host: string, port: number, payloads: Buffer[]): Promise<string[]> {
  const socket = connect(port, host);
  const decoder = createMllpDecoder(64 * 1024 * 1024);
  const acks: string[] = [];
  let waiting: ((ack: string) => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk))
      if (event.kind === 'frame') waiting?.(event.payload.toString('utf8'));
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const payload of payloads) {
    const ack = new Promise<string>((resolve) => (waiting = resolve));
    socket.write(encodeFrame(payload));
    acks.push(await ack);
  }
  socket.end();
  return acks;
}
