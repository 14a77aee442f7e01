import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pgliteBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../server/testing/test-platform.ts';

const run = promisify(execFile);
const adt = (id: string, ackTypes = '') =>
  [
    `MSH|^~\\&|REG|RIVERSIDE|THROUGHLINE|CLINIC|20261123083000||ADT^A04^ADT_A01|${id}|P|2.5${ackTypes}`,
    'EVN|A04|20261123083000',
    `PID|1||CLI-${id}^^^RIVERSIDE^MR||Okafor^Maya||19880412|F`,
  ].join('\r') + '\r';

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform(pgliteBackend);
});
after(() => platform.stop());

test('hl7 send: each message with its own ACKs — the ACK, or the accept then application ACK, or none asked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hl7-send-'));
  const files = [
    ['1-original.hl7', adt('CLI-1')],
    ['2-enhanced.hl7', adt('CLI-2', '|||AL|AL')],
    ['3-silent.hl7', adt('CLI-3', '|||NE|NE')],
    ['4-after.hl7', adt('CLI-4')],
  ].map(([name, text]) => (writeFileSync(join(dir, name!), text!), join(dir, name!)));
  const { stdout } = await run(process.execPath, [
    'src/cli/main.ts',
    'hl7',
    'send',
    ...files,
    '--port',
    String(platform.mllpPort),
  ]);
  const lines = stdout.trim().split('\n');
  assert.match(lines[0]!, /1-original\.hl7: MSA\|AA\|CLI-1\|?$/);
  assert.match(lines[1]!, /2-enhanced\.hl7: MSA\|CA\|CLI-2\|? {2}MSA\|AA\|CLI-2\|?$/);
  assert.match(lines[2]!, /3-silent\.hl7: \(no acknowledgment: none asked for/);
  assert.match(lines[3]!, /4-after\.hl7: MSA\|AA\|CLI-4\|?$/);
  assert.match(lines[4]!, /^4 sent, 4 accepted, 0 not accepted$/);
});
