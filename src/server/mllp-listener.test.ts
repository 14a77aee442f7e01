import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Client, Message } from 'node-hl7-client';
import type { Bundle } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { encodeFrame } from '../hl7v2/index.ts';
import { platformPerSuite } from './testing/test-platform.ts';

const adt = (id: string, mrn: string) =>
  [
    `MSH|^~\\&|REG|RIVERSIDE|THROUGHLINE|CLINIC|20261123083000||ADT^A04^ADT_A01|${id}|P|2.5`,
    'EVN|A04|20261123083000',
    `PID|1||${mrn}^^^RIVERSIDE^MR||Okafor^Maya||19880412|F`,
    'PV1|1|O',
  ].join('\r');

/** Sends raw frames on one socket (split into small chunks) and collects the ACK frames. */
async function sendRaw(
  port: number,
  payloads: Buffer[],
  chunk = 5,
  expected = payloads.length,
): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  const acks: string[] = [];
  let buffered = Buffer.alloc(0);
  const done = new Promise<void>((resolve) => {
    socket.on('data', (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      for (let end = buffered.indexOf(0x1c); end >= 0; end = buffered.indexOf(0x1c)) {
        acks.push(buffered.subarray(1, end).toString());
        buffered = buffered.subarray(end + 2);
      }
      if (acks.length === expected) resolve();
    });
  });
  const stream = Buffer.concat(payloads.map((payload) => encodeFrame(payload)));
  for (let at = 0; at < stream.length; at += chunk) socket.write(stream.subarray(at, at + chunk));
  await done;
  socket.destroy();
  return acks;
}

describeEachBackend('MLLP listener over real TCP', (backend) => {
  const platform = platformPerSuite(backend);

  test('a real HL7 client library sends an ADT and gets AA; the patient is on the FHIR API', async () => {
    const client = new Client({ host: '127.0.0.1', version: '2.5' });
    const acks: string[] = [];
    const received = new Promise<void>((resolve) => {
      const connection = client.createConnection(
        { port: platform.mllpPort, version: '2.5' },
        async (response) => {
          acks.push(response.getMessage().get('MSA.1').toString());
          await connection.close();
          resolve();
        },
      );
      void connection.sendMessage(new Message({ text: adt('LIB-1', 'MLLP-1') }));
    });
    await received;
    assert.deepEqual(acks, ['AA']);
    const found = (await (await platform.fetch('/fhir/Patient?identifier=MLLP-1')).json()) as Bundle;
    assert.equal(found.entry?.length, 1);
  });

  test('enhanced mode (MSH-15/16): accept ACK CA, then the application ACK; a resend gets both again, byte for byte', async () => {
    const enhanced = (id: string, accept: string, application: string, birthDate = '19880412') =>
      Buffer.from(
        adt(id, 'MLLP-ENH')
          .replace('|P|2.5', `|P|2.5|||${accept}|${application}`)
          .replace('19880412', birthDate),
      );
    const codes = (acks: string[]) =>
      acks.map((ack) => /MSA\|(\w+)\|([^|\r]*)/.exec(ack)?.slice(1).join(' '));
    const both = await sendRaw(platform.mllpPort, [enhanced('ENH-1', 'AL', 'AL')], 50, 2);
    assert.deepEqual(codes(both), ['CA ENH-1', 'AA ENH-1']);
    assert.match(
      both[1]!,
      /^MSH\|[^\r]*\|ACK\^A04\^ACK\|TL\d+A\|P\|2\.5\|\|\|NE\|NE\r/,
      'not to be acknowledged',
    );
    assert.deepEqual(await sendRaw(platform.mllpPort, [enhanced('ENH-1', 'AL', 'AL')], 50, 2), both);
    // MSH-16 ER: no application ACK for a success; NE/ER with an error: the application ACK only.
    const [onlyAccept, failed] = [
      await sendRaw(
        platform.mllpPort,
        [enhanced('ENH-2', 'AL', 'ER'), Buffer.from(adt('ENH-3', 'MLLP-ENH'))],
        50,
      ),
      await sendRaw(platform.mllpPort, [enhanced('ENH-4', 'NE', 'ER', '19881399')], 50),
    ];
    assert.deepEqual(codes(onlyAccept), ['CA ENH-2', 'AA ENH-3']);
    assert.deepEqual(codes(failed), ['AE ENH-4']);
    assert.match(failed[0]!, /\rERR\|/);
  });

  test('frames across chunk boundaries keep their order per connection; garbage gets AR; connections are independent', async () => {
    const messages = [1, 2, 3].map((n) => Buffer.from(adt(`ORD-${n}`, `MLLP-ORDER`)));
    const [ordered, bad] = await Promise.all([
      sendRaw(platform.mllpPort, [...messages, Buffer.from('\u0000garbage')], 3),
      sendRaw(platform.mllpPort, [Buffer.from('MSH|^~\\&|X')], 2),
    ]);
    assert.deepEqual(
      ordered.slice(0, 3).map((ack) => /MSA\|(\w+)\|([^|\r]*)/.exec(ack)?.slice(1).join(' ')),
      ['AA ORD-1', 'AA ORD-2', 'AA ORD-3'],
    );
    assert.match(ordered[3]!, /MSA\|AR\|/);
    assert.match(bad[0]!, /MSA\|AR\|/);
    const found = (await (await platform.fetch('/fhir/Patient?identifier=MLLP-ORDER')).json()) as Bundle;
    assert.equal(found.entry?.length, 1);
  });

  test('POST /hl7v2 answers with the ACK; the message store lists and shows messages', async () => {
    const response = await platform.fetch('/hl7v2', {
      method: 'POST',
      headers: { 'content-type': 'x-application/hl7-v2+er7' },
      body: adt('HTTP-1', 'HTTP-1'),
    });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /MSA\|AA\|HTTP-1/);
    const list = (await (await platform.fetch('/api/hl7v2/messages?limit=5')).json()) as {
      messages: { id: string; controlId: string; status: string }[];
    };
    const mine = list.messages.find((message) => message.controlId === 'HTTP-1')!;
    assert.equal(mine.status, 'processed');
    const detail = (await (await platform.fetch(`/api/hl7v2/messages/${mine.id}`)).json()) as {
      raw: string;
      ack: string;
      resources: string[];
    };
    assert.equal(detail.raw, adt('HTTP-1', 'HTTP-1'));
    assert.ok(detail.resources.some((reference) => reference.startsWith('Patient/')));
  });

  test('an oversized frame gets AR naming its MSH-10; its first bytes are kept for inspection; others go on', async () => {
    const huge = Buffer.from(`${adt('BIG-1', 'BIG-1')}\rZXX|${'x'.repeat(17 * 1024 * 1024)}`);
    const [ack] = await sendRaw(platform.mllpPort, [huge], 1024 * 1024);
    assert.match(ack ?? '', /MSA\|AR\|BIG-1/);
    assert.match(ack ?? '', /ERR\|/);
    const [next] = await sendRaw(platform.mllpPort, [Buffer.from(adt('AFTER-BIG', 'AFTER-BIG'))]);
    assert.match(next ?? '', /MSA\|AA\|AFTER-BIG/);
    const list = (await (await platform.fetch('/api/hl7v2/messages?status=rejected')).json()) as {
      messages: { id: string; controlId: string; error?: string }[];
    };
    const kept = list.messages.find((message) => message.controlId === 'BIG-1');
    assert.ok(kept, JSON.stringify(list));
    assert.match(kept.error ?? '', /exceeds the size limit/);
    const detail = (await (await platform.fetch(`/api/hl7v2/messages/${kept.id}`)).json()) as { raw: string };
    assert.ok(detail.raw.startsWith(adt('BIG-1', 'BIG-1')));
    assert.equal(detail.raw.length, 64 * 1024);
  });
});
