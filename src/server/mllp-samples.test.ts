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

/**
 * The first acknowledgment the server must send, from the spec's rules: AR unparseable or a
 * reused key, AE unsupported, AA otherwise — in original mode. In enhanced mode (MSH-15 or
 * MSH-16 valued) the accept ACK (CA, or CR for a refused message) comes first if MSH-15 asks
 * for it, else the application ACK if MSH-16 does, else nothing ('none').
 */
function expectedCode(text: string, seen: Map<string, string>): string {
  let header;
  let parsed;
  try {
    parsed = parseMessage(text);
    header = readHeader(parsed);
  } catch (error) {
    if (!(error instanceof Hl7Error)) throw error;
    // Refused: still in enhanced mode if the first line, read as plainly as can be, asks for it.
    const msh = text.split(/\r\n|\r|\n/)[0] ?? '';
    const fields = msh.startsWith('MSH') ? msh.split(msh.charAt(3)) : [];
    return firstAcknowledgment(fields[14], fields[15], 'AR');
  }
  const key = [header.sendingApplication, header.sendingFacility, header.controlId].join('|');
  const earlier = seen.get(key);
  seen.set(key, earlier ?? text);
  const supported = supportedMessages.includes(`${header.messageType}^${header.triggerEvent ?? ''}`);
  const hasPatientId = getValue(parsed, 'PID-3.1') !== undefined || getValue(parsed, 'PID-2.1') !== undefined;
  const outcome = earlier !== undefined && earlier !== text ? 'AR' : supported && hasPatientId ? 'AA' : 'AE';
  return firstAcknowledgment(header.acceptAckType, header.applicationAckType, outcome);
}

/** HL7 table 0155: AL always, NE never, ER on error only, SU on success only (empty: AL). */
function firstAcknowledgment(accept = '', application = '', outcome: 'AA' | 'AE' | 'AR'): string {
  if (!accept && !application) return outcome;
  const wants = (condition: string, success: boolean) =>
    condition === 'NE' ? false : condition === 'ER' ? !success : condition === 'SU' ? success : true;
  if (outcome === 'AR') return wants(accept, false) ? 'CR' : 'none';
  if (wants(accept, true)) return 'CA';
  return wants(application, outcome === 'AA') ? outcome : 'none';
}

/** One message through the independent client library; resolves with the ACK's MSA-1. */
async function sendWithLibrary(port: number, message: Message, waitMs: number): Promise<string> {
  const version = message.get('MSH.12').toString().split('^')[0] || '2.5';
  const client = new Client({ host: '127.0.0.1', version: version as never });
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ACK')), waitMs);
    const connection = client.createConnection({ port, version: version as never }, async (response) => {
      clearTimeout(timer);
      resolve(response.getMessage().get('MSA.1').toString());
      await connection.close();
    });
    // Send once connected: sent earlier, the library opens a second socket and closes only one of
    // the two, and the leaked ones would fill the listener's MLLP_MAX_CONNECTIONS.
    connection.once('connect', () => void connection.sendMessage(message).catch(reject));
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
        // When nothing is to come back (MSH-15/16 say NE), a second of silence is the answer.
        const actual = await sendWithLibrary(platform.mllpPort, message, expected === 'none' ? 1_000 : 10_000)
          .catch((error: Error) => `error: ${error.message}`)
          .then((code) => (code === 'error: no ACK' && expected === 'none' ? 'none' : code));
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
