import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage } from './parse-message.ts';
import { parseBatch } from './parse-batch.ts';
import { readHeader } from './header.ts';
import { getValue, serializeMessage } from './message.ts';
import { escapeHl7, unescapeHl7 } from './escape.ts';
import { standardDelimiters } from './delimiters.ts';
import { hl7ToFhirDateTime } from './hl7-datetime.ts';
import { Hl7Error } from './hl7-error.ts';

const adt =
  [
    'MSH|^~\\&|REG|RIVERSIDE|THROUGHLINE|CLINIC|20261123083000+0000||ADT^A01^ADT_A01|MSG00001|P|2.5.1',
    'PID|1||MRN-1^^^RIVERSIDE&1.2.3&ISO^MR~999-88-7777^^^SSA^SS||Okafor^Maya^J||19880412|F|||12 Elm St^^Springfield^IL^62701||^PRN^PH^^^217^5550101',
    'NTE|1||Line one\\.br\\Line two \\T\\ more \\F\\ end \\H\\bold\\N\\',
    'ZXT|custom|kept',
  ].join('\r') + '\r';

test('terser paths read fields, repetitions, components and subcomponents, unescaped', () => {
  const message = parseMessage(adt);
  assert.equal(getValue(message, 'PID-3.1'), 'MRN-1');
  assert.equal(getValue(message, 'PID-3.4.2'), '1.2.3');
  assert.equal(getValue(message, 'PID-3[2].1'), '999-88-7777');
  assert.equal(getValue(message, 'PID-5.2'), 'Maya');
  assert.equal(getValue(message, 'NTE-3'), 'Line one\nLine two & more | end \\H\\bold\\N\\');
  assert.equal(getValue(message, 'ZXT-2'), 'kept');
  assert.equal(getValue(message, 'PID-99'), undefined);
});

test('header: type, trigger, control id, version; missing or unsupported parts are precise errors', () => {
  const header = readHeader(parseMessage(adt));
  assert.deepEqual(
    [header.messageType, header.triggerEvent, header.controlId, header.version],
    ['ADT', 'A01', 'MSG00001', '2.5.1'],
  );
  const noControl = adt.replace('MSG00001', '');
  assert.throws(
    () => readHeader(parseMessage(noControl)),
    (e: Hl7Error) => e.hl7Code === '101' && e.location?.field === 10,
  );
  assert.throws(
    () => readHeader(parseMessage(adt.replace('|2.5.1', '|3.0'))),
    (e: Hl7Error) => e.hl7Code === '203',
  );
});

test('round trip: CR, LF, CRLF and BOM come back byte for byte', () => {
  for (const terminator of ['\r', '\n', '\r\n']) {
    const bytes = Buffer.from(`\uFEFF${adt.split('\r').filter(Boolean).join(terminator)}${terminator}`);
    assert.ok(serializeMessage(parseMessage(bytes)).equals(bytes), JSON.stringify(terminator));
  }
  const latin1 = Buffer.from(adt.replace('Okafor', 'M\u00fcller'), 'latin1');
  assert.ok(serializeMessage(parseMessage(latin1)).equals(latin1));
});

test('custom delimiters from MSH-1/MSH-2', () => {
  const custom = 'MSH#*@!%#APP#FAC#####ORU*R01#X1#P#2.3\rPID#1##A1*B*C@A2\r';
  const message = parseMessage(custom);
  assert.equal(getValue(message, 'PID-3[2].1'), 'A2');
  assert.equal(getValue(message, 'PID-3.2'), 'B');
  assert.equal(readHeader(message).triggerEvent, 'R01');
});

test('garbage, missing MSH, bad delimiters and over-limit input are rejected with a reason', () => {
  assert.throws(
    () => parseMessage('hello world'),
    (e: Hl7Error) => e.hl7Code === '100',
  );
  assert.throws(() => parseMessage(Buffer.from([0xff, 0x00, 0x13, 0x37])), Hl7Error);
  assert.throws(
    () => parseMessage('MSH|^^\\&|A\r'),
    (e: Hl7Error) => e.location?.field === 2,
  );
  assert.throws(
    () => parseMessage(`${adt}\u0001\u0002 junk\r`),
    (e: Hl7Error) => /segment id/.test(e.message),
  );
  const hugeField = adt.replace('Okafor', 'x'.repeat(5 * 1024 * 1024));
  assert.throws(
    () => parseMessage(hugeField),
    (e: Hl7Error) => e.location?.segment === 'PID' && e.location.field === 5,
  );
  const manySegments = adt + 'NTE|1||x\r'.repeat(100_000);
  // CPU of this thread, not wall time: a loaded machine stretches the one, not the other.
  const before = process.threadCpuUsage();
  assert.throws(
    () => parseMessage(manySegments),
    (e: Hl7Error) => /segments/.test(e.message),
  );
  const { user, system } = process.threadCpuUsage(before);
  assert.ok((user + system) / 1000 < 2000);
});

test('escape and unescape are inverse for delimiters', () => {
  const text = 'a|b^c&d~e\\f';
  assert.equal(unescapeHl7(escapeHl7(text, standardDelimiters), standardDelimiters), text);
  assert.equal(unescapeHl7('\\X41\\\\X4243\\', standardDelimiters), 'ABC');
});

test('HL7 dates keep their precision; impossible dates are data-type errors', () => {
  assert.equal(hl7ToFhirDateTime('1988'), '1988');
  assert.equal(hl7ToFhirDateTime('19880412'), '1988-04-12');
  assert.equal(hl7ToFhirDateTime('202611230830'), '2026-11-23T08:30:00Z');
  assert.equal(hl7ToFhirDateTime('20261123083015.25-0500'), '2026-11-23T08:30:15.25-05:00');
  assert.throws(
    () => hl7ToFhirDateTime('20260231'),
    (e: Hl7Error) => e.hl7Code === '102',
  );
  assert.throws(() => hl7ToFhirDateTime('yesterday'), Hl7Error);
});

test('batches split into messages; broken batch structure is rejected', () => {
  const batch = `FHS|^~\\&|A\rBHS|^~\\&|A\r${adt}${adt.replace('MSG00001', 'MSG00002')}BTS|2\rFTS|1\r`;
  const parsed = parseBatch(batch);
  assert.equal(parsed.messages.length, 2);
  assert.equal(readHeader(parsed.messages[1]!).controlId, 'MSG00002');
  assert.throws(() => parseBatch('BHS|^~\\&\rBHS|^~\\&\r'), Hl7Error);
  assert.throws(() => parseBatch('BHS|^~\\&\rPID|1\r'), Hl7Error);
});

const dataRoot = '../shared/data/hl7v2';
test(
  'every public sample parses and round-trips, or is rejected with a precise reason',
  { skip: existsSync(dataRoot) ? undefined : `${dataRoot} is not here (shared test data absent)` },
  () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(join(dataRoot, 'messages'));
    walk(join(dataRoot, 'raw-bytes'));
    const rejected = new Map<string, string>();
    for (const file of files) {
      const bytes = readFileSync(file);
      try {
        if (/^(\uFEFF)?(FHS|BHS)/.test(bytes.toString('utf8')))
          parseBatch(bytes).messages.forEach(readHeader);
        else {
          const message = parseMessage(bytes);
          readHeader(message);
          assert.ok(serializeMessage(message).equals(bytes), `${file} round trip`);
        }
      } catch (error) {
        if (!(error instanceof Hl7Error)) throw error;
        assert.match(error.hl7Code, /^\d{3}$/);
        assert.ok(error.message.length > 10);
        rejected.set(file.slice(dataRoot.length + 1), error.message);
      }
    }
    assert.equal(files.length, 201);
    for (const bad of [
      'bad_batch_no_MSH',
      'bad_batch_nested_BHS',
      'bad_file_no_MSH',
      'bad_missing_version',
      'bad_missing_message_type',
      'bad_duplicate_encoding_chars',
    ]) {
      assert.ok(
        [...rejected.keys()].some((file) => file.includes(bad)),
        `${bad} must be rejected`,
      );
    }
    assert.ok(rejected.size <= 12, `unexpected rejections: ${[...rejected].join('\n')}`);
  },
);
