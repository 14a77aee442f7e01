import { hl7v2Suite } from '../testing/hl7v2-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countRoundTrips } from '../../store/testing/count-round-trips.ts';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { listInboundMessages } from '../../store/index.ts';
import { receiveBatch as settle, type Hl7v2Item } from './receive-batch.ts';
import { createHl7v2Receiver } from './hl7v2-receiver.ts';
import { receiveHl7v2Message, type Hl7v2Deps } from './receive-hl7v2-message.ts';

const oru = (id: string, mrn: string, value: string, date = '20261120090000') =>
  Buffer.from(
    [
      `MSH|^~\\&|LAB|NORTH|THROUGHLINE|CLINIC|20261123083000||ORU^R01^ORU_R01|${id}|P|2.5.1`,
      `PID|1||${mrn}^^^RIVERSIDE^MR||Family${mrn}^Given||19880412|F`,
      `OBR|1|ORD-${id}^GP|LAB-${id}^NORTHLAB|4548-4^HbA1c^LN|||${date}||||||||||||||||||F`,
      `OBX|1|NM|4548-4^Hemoglobin A1c^LN||${value}|%^%^UCUM|4.0-5.6|H|||F`,
    ].join('\r') + '\r',
  );
const item = (raw: Buffer) => ({ raw, transport: { kind: 'test' } });
/** The batch's outcomes, each fulfilled (an error here is a failed test). */
const receiveBatch = async (deps: Hl7v2Deps, items: Hl7v2Item[]) =>
  (await settle(deps, items)).map((settled) => {
    if (settled.status === 'rejected') throw settled.reason;
    return settled.value;
  });
const code = (ack: Buffer) => /\rMSA\|(\w\w)\|/.exec(ack.toString())?.[1];

/** One batch of three results (`P-1`…`P-3` for patients `PA`…`PC`, values 6.1…6.3 for prefix `P`), each accepted (AA). */
const receiveThreeAccepted = async (deps: Hl7v2Deps, prefix: string) => {
  const results = await receiveBatch(
    deps,
    ['A', 'B', 'C'].map((patient, at) =>
      item(oru(`${prefix}-${at + 1}`, `${prefix}${patient}`, `6.${at + 1}`)),
    ),
  );
  assert.deepEqual(
    results.map((result) => code(result.ack)),
    ['AA', 'AA', 'AA'],
  );
  return results;
};

describeEachBackend('HL7 v2 group commit', (backend) => {
  const suite = hl7v2Suite(backend);
  const { search } = suite;

  test('messages written together each get their own message row, Provenance, resources and ACK', async () => {
    const results = await receiveThreeAccepted(suite.deps, 'G');
    for (const [at, result] of results.entries()) {
      assert.match(result.ack.toString(), new RegExp(`\\rMSA\\|AA\\|G-${at + 1}\\|?\\r`));
      assert.match(result.ack.toString(), new RegExp(`\\|TL${result.messageId}\\|`));
    }
    const rows = await listInboundMessages(suite.db, {});
    const receivedAt = rows
      .filter((row) => /^G-[123]$/.test(row.controlId ?? ''))
      .map((row) => row.receivedAt);
    assert.equal(new Set(receivedAt).size, 1, 'one transaction (now() is its start time) for all three');
    const stored = await listInboundMessages(suite.db, { controlId: 'G-2' });
    assert.equal(stored[0]!.status, 'processed');
    assert.deepEqual(stored[0]!.ack, results[1]!.ack, 'the stored ACK is the one sent');
    const observationRef = stored[0]!.resources.find((ref) => ref.startsWith('Observation/'))!;
    const [type, id] = observationRef.split('/');
    const observation = await suite.repository.read<Observation>(type!, id!);
    assert.equal(observation.valueQuantity?.value, 6.2, "G-2's row names G-2's result, not a neighbour's");
    const provenance = await search('Provenance');
    assert.equal(provenance.length, 3, 'one Provenance per message');
    const observations = await search<Observation>('Observation', [['code', '4548-4']]);
    assert.deepEqual(observations.map((o) => o.valueQuantity?.value).sort(), [6.1, 6.2, 6.3]);
  });

  test('a resend, two messages for one record, garbage and a refused write in one batch: each its own answer', async () => {
    const results = await receiveBatch(suite.deps, [
      item(oru('G-1', 'GA', '6.1')), // a resend of a stored message
      item(oru('G-4', 'GD', '7.0')),
      item(oru('G-5', 'GD', '7.5')), // same patient as G-4: applied after it
      item(Buffer.from('garbage without a header')),
      item(oru('G-6', 'GE', '7.1', '20261399')), // an impossible date: refused by the store
      item(oru('G-7', 'GF', '7.2')),
    ]);
    const first = (await listInboundMessages(suite.db, { controlId: 'G-1' })).at(-1)!;
    assert.deepEqual(results[0]!.ack, first.ack, 'the resend gets the stored ACK byte for byte');
    assert.deepEqual(
      results.map((result) => code(result.ack)),
      ['AA', 'AA', 'AA', 'AR', 'AE', 'AA'],
    );
    assert.equal((await search<Patient>('Patient', [['identifier', 'GD']])).length, 1);
    const forGD = await search<Observation>('Observation', [['value-quantity', '7.5']]);
    assert.equal(forGD.length, 1);
    assert.equal((await listInboundMessages(suite.db, { controlId: 'G-6' }))[0]!.status, 'failed');
    assert.equal(
      (await listInboundMessages(suite.db, { controlId: 'G-1' })).length,
      1,
      'a resend adds no row',
    );
    assert.equal(
      (await search<Observation>('Observation', [['code', '4548-4']])).length,
      6,
      'nothing written twice: G-1 … G-5 and G-7',
    );
  });

  test('the receiver answers concurrent callers exactly as the one-at-a-time path would', async () => {
    const receiver = createHl7v2Receiver(suite.deps);
    const raws = Array.from({ length: 12 }, (_, i) => oru(`R-${i}`, `R${i % 4}`, `${5 + i / 10}`));
    const acks = await Promise.all(raws.map((raw) => receiver.receive(raw, { kind: 'test' })));
    assert.ok(acks.every((result) => code(result.ack) === 'AA'));
    assert.equal((await search<Patient>('Patient', [['identifier', 'R0,R1,R2,R3']])).length, 4);
    const again = await receiveHl7v2Message(suite.deps, raws[5]!, { kind: 'test' });
    assert.deepEqual(again.ack, acks[5]!.ack, 'a later resend gets the same ACK');
  });
  test('messages for one record that arrive together wait for each other (deferred to the next group commit), none lost', async () => {
    const receiver = createHl7v2Receiver(suite.deps, { minBatch: 6, lingerMs: 20 });
    const raws = Array.from({ length: 6 }, (_, i) => oru(`SAME-${i}`, 'GSAME', `7.${i}`));
    const results = await Promise.all(raws.map((raw) => receiver.receive(raw, { kind: 'test' })));
    assert.deepEqual(
      results.map((result) => code(result.ack)),
      ['AA', 'AA', 'AA', 'AA', 'AA', 'AA'],
    );
    assert.equal((await search<Patient>('Patient', [['identifier', 'GSAME']])).length, 1);
    const [patient] = await search<Patient>('Patient', [['identifier', 'GSAME']]);
    const observations = await search<Observation>('Observation', [['subject', `Patient/${patient!.id}`]]);
    assert.deepEqual(observations.map((o) => o.valueQuantity?.value).sort(), [7, 7.1, 7.2, 7.3, 7.4, 7.5]);
    const rows = await Promise.all(
      raws.map((_, i) => listInboundMessages(suite.db, { controlId: `SAME-${i}` })),
    );
    assert.ok(rows.every((each) => each.length === 1 && each[0]!.status === 'processed'));
  });

  test('two group commits at once naming one new patient make one Patient (criteria locked with the messages)', async () => {
    for (let round = 0; round < 8; round++) {
      const mrn = `RACE${round}`;
      await Promise.all([
        receiveBatch(suite.deps, [
          item(oru(`RACE-A-${round}`, mrn, '5.1')),
          item(oru(`RACE-C-${round}`, `${mrn}X`, '5.3')),
        ]),
        receiveBatch(suite.deps, [item(oru(`RACE-B-${round}`, mrn, '5.2'))]),
      ]);
      assert.equal((await search<Patient>('Patient', [['identifier', mrn]])).length, 1, mrn);
    }
  });

  test('one message sent twice at once, by a group commit and the one-at-a-time path: stored once, one ACK', async () => {
    const raw = oru('TWICE-1', 'GT', '6.6');
    const [batched, single] = await Promise.all([
      receiveBatch(suite.deps, [item(raw), item(oru('TWICE-2', 'GU', '6.7'))]),
      receiveHl7v2Message(suite.deps, raw, { kind: 'test' }),
    ]);
    assert.equal(code(batched[0]!.ack), 'AA');
    assert.deepEqual(single.ack, batched[0]!.ack, 'the later of the two gets the stored ACK byte for byte');
    assert.equal((await listInboundMessages(suite.db, { controlId: 'TWICE-1' })).length, 1);
    assert.equal((await search<Observation>('Observation', [['value-quantity', '6.6']])).length, 1);
  });

  test('a batch the store refuses (one record matches twice) rolls back whole; each message then gets its own answer', async () => {
    await receiveBatch(suite.deps, [item(oru('D-1', 'GDUP', '8.80'))]);
    const [original] = await search<Patient>('Patient', [['identifier', 'GDUP']]);
    await suite.repository.create<Patient>({ ...original!, id: undefined, meta: undefined });
    const results = await receiveBatch(suite.deps, [
      item(oru('D-2', 'GH', '8.81')),
      item(oru('D-3', 'GDUP', '8.82')),
    ]);
    assert.deepEqual(
      results.map((result) => code(result.ack)),
      ['AA', 'AE'],
    );
    assert.match(results[1]!.ack.toString(), /more than one/);
    assert.equal((await search<Observation>('Observation', [['value-quantity', '8.81']])).length, 1);
    assert.equal((await search<Observation>('Observation', [['value-quantity', '8.82']])).length, 0);
  });

  test(
    'on server PostgreSQL a group commit is four round trips, however many messages it holds',
    {
      skip: backend.name !== 'postgres' && "round trips are server PostgreSQL's",
    },
    async () => {
      const roundTrips = countRoundTrips();
      try {
        await receiveThreeAccepted(suite.deps, 'RT');
      } finally {
        roundTrips.stop();
      }
      // Message rows + criteria locks + their search; resource locks + current rows; the write;
      // COMMIT (with the audit row, where the checkpoint writes one). Five on the old code.
      assert.equal(roundTrips.count(), 4);
    },
  );
});
