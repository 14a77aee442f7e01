import { hl7v2Suite } from '../testing/hl7v2-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiagnosticReport, Observation, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { listInboundMessages } from '../../store/index.ts';
import { receiveHl7v2Message } from './receive-hl7v2-message.ts';

const msh = (type: string, id: string) =>
  `MSH|^~\\&|LAB|NORTH|THROUGHLINE|CLINIC|20261123083000||${type}|${id}|P|2.5.1`;
const pid =
  'PID|1||MRN-7^^^RIVERSIDE^MR||Okafor^Maya^J||19880412|F|||12 Elm St^^Springfield^IL^62701||^PRN^PH^^1^217^5550101';
const adt = (id: string, extra = '') =>
  Buffer.from(
    [
      msh('ADT^A01^ADT_A01', id),
      'EVN|A01|20261123083000',
      pid + extra,
      'PV1|1|O|GP^1^A||||1234^Doctor^Dana|||||||||||V-100^^^RIVERSIDE^VN|||||||||||||||||||||||||20261123080000',
      'AL1|1|DA|PCN^Penicillin^RXNORM|SV|Hives',
      'DG1|1||E11.9^Type 2 diabetes^I10||20250101',
    ].join('\r') + '\r',
  );
const oru = (id: string) =>
  Buffer.from(
    [
      msh('ORU^R01^ORU_R01', id),
      pid,
      'ORC|RE|ORD-1^GP|LAB-1^NORTHLAB',
      'OBR|1|ORD-1^GP|LAB-1^NORTHLAB|4548-4^HbA1c^LN|||20261120090000|||||||||1234^Doctor^Dana||||||20261121100000|||F',
      'OBX|1|NM|4548-4^Hemoglobin A1c^LN||7.1|%^%^UCUM|4.0-5.6|H|||F|||20261120090000',
      'NTE|1||Above target; repeat in 3 months',
      'OBX|2|SN|2160-0^Creatinine^LN||<^0.5|mg/dL^mg/dL^UCUM|0.6-1.2|L|||F',
      'OBX|3|ST|8251-1^Service comment^LN||Fasting sample||||||F',
      'OBX|4|CWE|5778-6^Color of urine^LN||YEL^Yellow^L||||||F',
    ].join('\r') + '\r',
  );

describeEachBackend('HL7 v2 receive pipeline', (backend) => {
  const suite = hl7v2Suite(backend);
  const { search } = suite;

  test('ADT A01 → Patient, Encounter, AllergyIntolerance, Condition; AA with MSA-2 = MSH-10', async () => {
    const result = await receiveHl7v2Message(suite.deps, adt('ADT-1'), { kind: 'test' });
    const ack = result.ack.toString();
    assert.match(
      ack,
      /^MSH\|\^~\\&\|THROUGHLINE\|\|LAB\|NORTH\|20261123083005\+0000\|\|ACK\^A01\^ACK\|TL\d+\|P\|2\.5\.1\r/,
    );
    assert.match(ack, /\rMSA\|AA\|ADT-1\|?\r/);
    const patients = await search<Patient>('Patient', [['identifier', 'MRN-7']]);
    assert.equal(patients.length, 1);
    assert.equal(patients[0]!.birthDate, '1988-04-12');
    assert.match(patients[0]!.meta?.source ?? '', /LAB:NORTH/);
    assert.equal((await search('Encounter', [['subject', `Patient/${patients[0]!.id}`]])).length, 1);
    assert.equal((await search('AllergyIntolerance')).length, 1);
    assert.equal((await search('Provenance')).length, 1);
  });

  test('a stream of ADTs for one MRN never makes a second patient; a resend gets the stored ACK byte for byte', async () => {
    const first = await receiveHl7v2Message(suite.deps, adt('ADT-2', '|||||||||||||||||||'), {
      kind: 'test',
    });
    const again = await receiveHl7v2Message(suite.deps, adt('ADT-2', '|||||||||||||||||||'), {
      kind: 'test',
    });
    assert.ok(again.ack.equals(first.ack));
    assert.equal((await search<Patient>('Patient', [['identifier', 'MRN-7']])).length, 1);
    const conflict = await receiveHl7v2Message(suite.deps, adt('ADT-2', '|changed'), { kind: 'test' });
    assert.match(conflict.ack.toString(), /MSA\|AR\|ADT-2/);
    assert.match(conflict.ack.toString(), /\rERR\|\|MSH\^1\^10\|205\^/);
  });

  test('ORU R01 → ServiceRequest, DiagnosticReport and typed Observations with ranges, flags and notes', async () => {
    const result = await receiveHl7v2Message(suite.deps, oru('ORU-1'), { kind: 'test' });
    assert.match(result.ack.toString(), /MSA\|AA\|ORU-1/);
    const reports = await search<DiagnosticReport>('DiagnosticReport');
    assert.equal(reports[0]?.result?.length, 4);
    const hba1c = (await search<Observation>('Observation', [['code', 'http://loinc.org|4548-4']]))[0]!;
    assert.deepEqual(hba1c.valueQuantity, {
      value: 7.1,
      unit: '%',
      code: '%',
      system: 'http://unitsofmeasure.org',
    });
    assert.equal(hba1c.referenceRange?.[0]?.high?.value, 5.6);
    assert.equal(hba1c.interpretation?.[0]?.coding?.[0]?.code, 'H');
    assert.equal(hba1c.note?.[0]?.text, 'Above target; repeat in 3 months');
    const creatinine = (await search<Observation>('Observation', [['code', 'http://loinc.org|2160-0']]))[0]!;
    assert.equal(creatinine.valueQuantity?.comparator, '<');
    await receiveHl7v2Message(suite.deps, oru('ORU-1b'), { kind: 'test' });
    assert.equal(
      (await search('Observation')).length,
      4,
      'a replayed result under a new control id updates, never duplicates',
    );
  });

  test('bad input: garbage is AR, an unknown type is stored and AE with code 200, an invalid date is AE', async () => {
    const garbage = await receiveHl7v2Message(suite.deps, Buffer.from('\u0000\u0001garbage'), {
      kind: 'test',
    });
    assert.match(garbage.ack.toString(), /MSA\|AR\|/);
    const unknown = await receiveHl7v2Message(suite.deps, Buffer.from(`${msh('ZZZ^Z01', 'Z-1')}\r${pid}\r`), {
      kind: 'test',
    });
    assert.match(unknown.ack.toString(), /MSA\|AE\|Z-1/);
    assert.match(unknown.ack.toString(), /ERR\|\|MSH\^1\^9\|200\^/);
    const badDate = await receiveHl7v2Message(
      suite.deps,
      Buffer.from(adt('ADT-9').toString().replace('19880412', '19880231')),
      { kind: 'test' },
    );
    assert.match(badDate.ack.toString(), /MSA\|AE\|ADT-9/);
    const failed = await listInboundMessages(suite.db, { status: 'failed' });
    assert.ok(failed.some((message) => message.controlId === 'Z-1'));
    assert.ok(failed.every((message) => message.raw.length > 0));
  });

  test('MDM T02 → DocumentReference, VXU V04 → Immunization, DFT P03 → ChargeItem', async () => {
    const send = (type: string, id: string, ...segments: string[]) =>
      receiveHl7v2Message(suite.deps, Buffer.from([msh(type, id), pid, ...segments].join('\r') + '\r'), {
        kind: 'test',
      });
    const mdm = await send(
      'MDM^T02^MDM_T02',
      'MDM-1',
      'TXA|1|DS|TX|20261120||20261120103000||Doctor^Dana||||DOC-1||||AU',
      'OBX|1|TX|11506-3^Progress note^LN||Tired for weeks.~Bloodwork ordered.||||||F',
    );
    assert.match(mdm.ack.toString(), /MSA\|AA\|MDM-1/);
    const vxu = await send(
      'VXU^V04^VXU_V04',
      'VXU-1',
      'RXA|0|1|20261101||141^Influenza, seasonal^CVX|0.5|mL^mL^UCUM||00^New^NIP001||||||LOT-9||||||CP',
    );
    assert.match(vxu.ack.toString(), /MSA\|AA\|VXU-1/);
    const dft = await send(
      'DFT^P03^DFT_P03',
      'DFT-1',
      'FT1|1|TX-77||20261120|20261120|CG|99213^Office visit^CPT|||1|85.00&USD',
    );
    assert.match(dft.ack.toString(), /MSA\|AA\|DFT-1/);
    const note = (await search<{ content: { attachment: { data: string } }[] }>('DocumentReference'))[0]!;
    assert.equal(
      Buffer.from(note.content[0]!.attachment.data, 'base64').toString(),
      'Tired for weeks.\nBloodwork ordered.',
    );
    assert.equal((await search<{ lotNumber: string }>('Immunization'))[0]?.lotNumber, 'LOT-9');
    assert.deepEqual((await search<{ priceOverride: unknown }>('ChargeItem'))[0]?.priceOverride, {
      value: 85,
      currency: 'USD',
    });
  });
  test('registration owns demographics: a result for a registered MRN leaves the Patient as registered; a new MRN is created', async () => {
    const registration = adt('REG-1').toString().replace(/MRN-7/g, 'MRN-REG');
    await receiveHl7v2Message(suite.deps, Buffer.from(registration), { kind: 'test' });
    const stale = oru('REG-2').toString().replace(/MRN-7/g, 'MRN-REG').replace('Okafor^Maya^J', 'OKAFOR^M');
    assert.match(
      (await receiveHl7v2Message(suite.deps, Buffer.from(stale), { kind: 'test' })).ack.toString(),
      /MSA\|AA\|/,
    );
    const registered = await search<Patient>('Patient', [['identifier', 'MRN-REG']]);
    assert.equal(registered.length, 1);
    assert.equal(
      registered[0]!.name?.[0]?.given?.[0],
      'Maya',
      'the lab copy of the PID did not overwrite it',
    );
    assert.equal(registered[0]!.meta?.versionId, '1');
    const fresh = oru('REG-3').toString().replace(/MRN-7/g, 'MRN-LABONLY');
    await receiveHl7v2Message(suite.deps, Buffer.from(fresh), { kind: 'test' });
    assert.equal((await search<Patient>('Patient', [['identifier', 'MRN-LABONLY']])).length, 1);
  });
});
