import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiagnosticReport, Observation, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { listOutboundMessages } from '../store/index.ts';
import { field, mllpPlatformPerSuite, segment, storedPatient } from './testing/mllp-platform.ts';
import { staffToken } from './testing/role-tokens.ts';
import { auditCount } from './testing/auth-flows.ts';

describeEachBackend('outbound HL7 v2 over MLLP (issue 17)', (backend) => {
  const { platform, listeners } = mllpPlatformPerSuite(backend, ([ehrPort, registryPort]) => ({
    HL7_DESTINATIONS: `ehr=mllp://127.0.0.1:${ehrPort}?events=ADT^A08,ORU^R01,registry=mllp://127.0.0.1:${registryPort}?events=ADT^A31`,
    SUBSCRIPTION_RETRY_BASE_SECONDS: '1',
  }));
  const [ehr, registry] = listeners;
  let patient: Patient & { id: string };
  before(async () => {
    patient = await storedPatient(platform, {
      resourceType: 'Patient',
      identifier: [{ system: 'urn:oid:1.2.3.4', value: 'MRN-100' }],
      name: [{ family: 'Okafor', given: ['Maya'] }],
      gender: 'female',
      birthDate: '1988-03-14',
      telecom: [{ system: 'phone', value: '+15550001111', use: 'mobile' }],
    });
  });

  const update = async (changed: Patient) => {
    patient = await platform.update({ ...changed, id: patient.id });
    await platform.worker.drain();
  };

  test('a changed phone produces an ADT^A08 at the listener, which ACKs; the message store keeps both', async () => {
    await update({ ...patient, telecom: [{ system: 'phone', value: '+15550002222', use: 'mobile' }] });
    assert.equal(ehr.received.length, 1);
    const a08 = ehr.received[0]!;
    assert.equal(field(segment(a08, 'MSH'), 8), 'ADT^A08^ADT_A01');
    const pid = segment(a08, 'PID');
    assert.equal(field(pid, 3), 'MRN-100^^^&1.2.3.4&ISO');
    assert.equal(field(pid, 5), 'Okafor^Maya');
    assert.equal(field(pid, 8), 'F');
    assert.equal(field(pid, 13), '+15550002222^PRN^CP');
    const [stored] = await listOutboundMessages(platform.db, { destination: 'ehr' });
    assert.equal(stored?.status, 'accepted');
    // A destination that asks for ADT^A31 (update person information) gets that as well.
    assert.equal(registry.received.length, 1);
    assert.equal(field(segment(registry.received[0]!, 'MSH'), 8), 'ADT^A31^ADT_A05');
    assert.equal(field(segment(registry.received[0]!, 'EVN'), 1), 'A31');
    assert.equal(field(segment(registry.received[0]!, 'PID'), 13), '+15550002222^PRN^CP');
    assert.equal(stored?.raw.toString('utf8'), a08);
    assert.match(stored?.ack?.toString('utf8') ?? '', /MSA\|AA\|/);
  });

  test('a write that changes no demographics sends nothing', async () => {
    await update({ ...patient, active: true });
    assert.equal(ehr.received.length, 1);
  });

  test('no ACK: the same message is sent again after a backoff, then accepted', async () => {
    ehr.dropNext(1);
    await update({
      ...patient,
      address: [{ line: ['1 River Road'], city: 'Springfield', postalCode: '12345', use: 'home' }],
    });
    assert.equal(ehr.received.length, 3);
    assert.equal(ehr.received[1], ehr.received[2]);
    assert.equal(field(segment(ehr.received[2]!, 'PID'), 11), '1 River Road^^Springfield^^12345^^H');
    const [stored] = await listOutboundMessages(platform.db, { destination: 'ehr' });
    assert.equal(stored?.status, 'accepted');
    assert.equal(stored?.attempts, 2);
  });

  test('a final DiagnosticReport produces an ORU^R01 with its results', async () => {
    const observation = await platform.create({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }] },
      subject: { reference: `Patient/${patient.id}` },
      valueQuantity: { value: 6.1, unit: '%' },
    } as Observation);
    await platform.create({
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { text: 'HbA1c panel' },
      subject: { reference: `Patient/${patient.id}` },
      result: [{ reference: `Observation/${observation}` }],
    } as DiagnosticReport);
    await platform.worker.drain();
    assert.equal(ehr.received.length, 4);
    const oru = ehr.received[3]!;
    assert.equal(field(segment(oru, 'MSH'), 8), 'ORU^R01^ORU_R01');
    const obx = segment(oru, 'OBX');
    assert.equal(field(obx, 3), '4548-4^Hemoglobin A1c^LN');
    assert.equal(field(obx, 5), '6.1');
    assert.equal(field(obx, 11), 'F');
  });

  test('the outbound store is listed over the API, for integration clients', async () => {
    const response = await platform.fetch('/api/hl7v2/outbound?destination=ehr&status=accepted');
    assert.equal(response.status, 200);
    const { messages } = (await response.json()) as { messages: { messageType: string; ack: string }[] };
    assert.deepEqual(messages.map((each) => each.messageType).sort(), ['ADT', 'ADT', 'ORU']);
    assert.ok(messages.every((each) => each.ack.includes('MSA|AA|')));
    assert.equal((await platform.fetch('/api/hl7v2/outbound?status=sent')).status, 400);
  });

  test('a replay of the event stream sends nothing twice', async () => {
    for (const subscriber of ['hl7-out', 'hl7-out:ehr'])
      await platform.db.query(
        `UPDATE event_subscription SET last_tx_id = '0', last_seq = 0 WHERE subscriber = $1`,
        [subscriber],
      );
    await platform.worker.drain();
    assert.equal(ehr.received.length, 4);
  });

  test('an administrator resends a kept message once per look: same bytes, audited, a repeat refused', async () => {
    const [message] = await listOutboundMessages(platform.db, { destination: 'ehr' });
    const before = ehr.received.length;
    const admin = await staffToken(platform, 'admin');
    const resend = (ifMatch?: string, token = admin) =>
      platform.fetch(`/api/integration/outbound/${message!.id}/resend`, {
        method: 'POST',
        token,
        ...(ifMatch ? { headers: { 'If-Match': ifMatch } } : {}),
      });
    assert.equal((await resend()).status, 400, 'no If-Match: which state is being resent?');
    assert.equal(
      (await resend(`W/"${message!.attempts}"`, await staffToken(platform, 'front-desk'))).status,
      403,
    );
    const audits = await auditCount(platform, 'hl7v2-outbound-resend');
    const first = await resend(`W/"${message!.attempts}"`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('etag'), `W/"${message!.attempts + 1}"`);
    assert.equal(((await first.json()) as { status: string }).status, 'accepted');
    assert.equal(ehr.received.length, before + 1);
    assert.equal(ehr.received.at(-1), message!.raw.toString('utf8'), 'the same bytes and MSH-10');
    assert.equal((await resend(`W/"${message!.attempts}"`)).status, 412, 'the same request again');
    assert.equal(ehr.received.length, before + 1);
    assert.equal(await auditCount(platform, 'hl7v2-outbound-resend'), audits + 1);
    const missing = await platform.fetch('/api/integration/outbound/999999/resend', {
      method: 'POST',
      token: admin,
      headers: { 'If-Match': 'W/"1"' },
    });
    assert.equal(missing.status, 404);
  });
});
