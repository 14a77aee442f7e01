import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Message } from 'node-hl7-client';
import { pgliteBackend } from '../store/testing/backends.ts';
import { Hl7Error, getValue, parseMessage, readHeader } from '../hl7v2/index.ts';
import { supportedMessages } from '../ingest/index.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const root = '../shared/data/hl7v2/messages';
const skip = existsSync(root) ? undefined : `${root} is not here (shared test data absent)`;

function sampleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? sampleFiles(join(dir, name)) : [join(dir, name)],
  );
}

/** What the server must answer, from the spec's rules: AR unparseable or a reused key, AE unsupported, AA otherwise. */
function expectedCode(text: string, seen: Map<string, string>): string {
  let header;
  let parsed;
  try {
    parsed = parseMessage(text);
    header = readHeader(parsed);
  } catch (error) {
    if (error instanceof Hl7Error) return 'AR';
    throw error;
  }
  const key = [header.sendingApplication, header.sendingFacility, header.controlId].join('|');
  const earlier = seen.get(key);
  seen.set(key, earlier ?? text);
  if (earlier !== undefined && earlier !== text) return 'AR';
  const supported = supportedMessages.includes(`${header.messageType}^${header.triggerEvent ?? ''}`);
  const hasPatientId = getValue(parsed, 'PID-3.1') !== undefined || getValue(parsed, 'PID-2.1') !== undefined;
  const code = supported && hasPatientId ? 'AA' : 'AE';
  // Enhanced acknowledgment mode (MSH-15 present): commit ACKs CA/CE instead of AA/AE.
  return header.acceptAckType ? code.replace('A', 'C') : code;
}

/** One message through the independent client library; resolves with the ACK's MSA-1. */
async function sendWithLibrary(port: number, text: string, message: Message): Promise<string> {
  const version = message.get('MSH.12').toString().split('^')[0] || '2.5';
  const client = new Client({ host: '127.0.0.1', version: version as never });
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ACK within 10 s')), 10_000);
    const connection = client.createConnection({ port, version: version as never }, async (response) => {
      clearTimeout(timer);
      resolve(response.getMessage().get('MSA.1').toString());
      await connection.close();
    });
    void connection.sendMessage(message).catch(reject);
    void text;
  });
}

test(
  'every public sample message, sent by an independent HL7 client library over TCP, gets the right ACK',
  { skip, timeout: 300_000 },
  async (t) => {
    let platform: TestPlatform | undefined;
    try {
      platform = await startTestPlatform(pgliteBackend);
      const seen = new Map<string, string>();
      const wrong: string[] = [];
      let sent = 0;
      for (const file of sampleFiles(root).sort()) {
        const text = readFileSync(file, 'utf8');
        let message: Message;
        try {
          message = new Message({ text });
        } catch {
          continue; // batches and files (FHS/BHS) are not single messages for this library; see parse-message.test.ts
        }
        const expected = expectedCode(text, seen);
        const actual = await sendWithLibrary(platform.mllpPort, text, message).catch(
          (error: Error) => `error: ${error.message}`,
        );
        // The library refuses to send a message without MSH-12; parse-message.test.ts covers it.
        if (actual.startsWith('error: message version')) continue;
        sent++;
        if (actual !== expected) wrong.push(`${file}: expected ${expected}, got ${actual}`);
      }
      t.diagnostic(`${sent} messages sent with node-hl7-client`);
      assert.ok(sent >= 180, `only ${sent} samples could be sent`);
      assert.deepEqual(wrong, []);
    } finally {
      await platform?.stop();
    }
  },
);

before(() => undefined);
after(() => undefined);
