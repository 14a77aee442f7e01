import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle, ServiceRequest, Task } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { sendWithResend } from './testing/mllp-resender.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Closing the referral loop (issue 18): a referral arrives by HL7 (REF^I12), is tracked step by
 * step on one Task, is chased while no report is back, and closes when the specialist's
 * consult note arrives by HL7 MDM^T02 naming the referral in TXA-14.
 */
const DAY = 86_400_000;
const hl7Date = (time: number) => new Date(time).toISOString().replace(/[-:T]/g, '').slice(0, 12);

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform(pgliteBackend);
});
after(() => platform?.stop());

async function send(message: string[]): Promise<string> {
  let ack = '';
  await sendWithResend(platform.mllpPort, [message.join('\r')], {
    ackTimeoutMs: 10_000,
    retryPauseMs: 100,
    deadline: performance.now() + 30_000,
    onAck: (_, text) => (ack = text),
  });
  await platform.worker.drain();
  return ack;
}

const header = (type: string, id: string) =>
  `MSH|^~\\&|EHR|RIVERSIDE|THROUGHLINE|CLINIC|${hl7Date(Date.now())}||${type}|${id}|P|2.5`;
const pid =
  'PID|1||REF-PAT-1^^^RIVERSIDE^MR||Adeyemi^Tunde||19610203|M|||12 Elm St^^Springfield^^01101||^PRN^PH^^^^^^^^^+15550104477';

async function search<T>(path: string): Promise<T[]> {
  const bundle = (await (await platform.fetch(path)).json()) as Bundle;
  return (bundle.entry ?? []).map((entry) => entry.resource as T);
}

const loopOf = async (referralId: string) =>
  (await search<Task>(`/fhir/Task?focus=ServiceRequest/${referralId}&_count=50`)).find((task) =>
    task.code?.coding?.some((coding) => coding.code === 'referral-loop'),
  );
const chasesOf = async (referralId: string) =>
  (await search<Task>(`/fhir/Task?focus=ServiceRequest/${referralId}&_count=50`)).filter((task) =>
    task.performerType?.some((type) => type.coding?.some((coding) => coding.code === 'referrals-to-chase')),
  );

test('a referral by REF^I12 is tracked, chased, booked, and closes when the report comes by MDM^T02', async () => {
  const sentAt = Date.now() - 40 * DAY;
  const ack = await send([
    header('REF^I12^REF_I12', 'REF-1'),
    `RF1|P^Pending^HL70283|R^Routine^HL70280|CARD^Cardiology^L|||R-4711^RIVERSIDE|${hl7Date(sentAt)}|||I48^Atrial fibrillation^I10`,
    'PRD|RP|Ellis^Grace^^^Dr.|',
    'PRD|RT|Okoro^Ben^^^Dr.|',
    pid,
  ]);
  assert.match(ack, /MSA\|AA\|REF-1/);
  const [referral] = await search<ServiceRequest>('/fhir/ServiceRequest?identifier=R-4711');
  assert.ok(referral, 'the referral is a ServiceRequest');
  assert.equal(referral.category?.[0]?.coding?.[0]?.code, '3457005');
  assert.equal(referral.performer?.[0]?.display, 'Dr. Ben Okoro');

  const sent = await loopOf(referral.id!);
  assert.equal(sent?.businessStatus?.coding?.[0]?.code, 'sent');
  assert.equal(sent?.status, 'in-progress');
  assert.ok(Date.parse(sent!.restriction!.period!.end!) < Date.now(), 'booking is overdue (14 days)');
  const chasing = (await chasesOf(referral.id!)).filter((task) => task.status === 'requested');
  assert.ok(chasing.length >= 1, 'the unbooked, report-less referral is on the referrals-to-chase list');

  const appointment: Appointment = {
    resourceType: 'Appointment',
    status: 'fulfilled',
    start: new Date(sentAt + 10 * DAY).toISOString(),
    end: new Date(sentAt + 10 * DAY + 1_800_000).toISOString(),
    basedOn: [{ reference: `ServiceRequest/${referral.id}` }],
    participant: [{ actor: { reference: referral.subject.reference }, status: 'accepted' }],
  };
  await platform.create(appointment);
  await platform.worker.drain();
  assert.equal((await loopOf(referral.id!))?.businessStatus?.coding?.[0]?.code, 'seen');

  const report = await send([
    header('MDM^T02^MDM_T02', 'MDM-1'),
    'EVN|T02',
    pid,
    'PV1|1|O',
    `TXA|1|CN^Consultation note|TX|${hl7Date(Date.now())}||||||||DOC-88||R-4711^RIVERSIDE|||AU`,
    'OBX|1|TX|11488-4^Consult note^LN||Rate control started; follow up in 3 months.||||||F',
  ]);
  assert.match(report, /MSA\|AA\|MDM-1/);
  const closed = await loopOf(referral.id!);
  assert.equal(closed?.status, 'completed');
  assert.equal(closed?.businessStatus?.coding?.[0]?.code, 'report-received');
  assert.deepEqual(
    closed?.output?.map((output) => output.type.coding?.[0]?.code),
    ['sent', 'booked', 'seen', 'report-received'],
  );
  const stillOpen = (await chasesOf(referral.id!)).filter((task) => task.status === 'requested');
  assert.deepEqual(
    stillOpen.map((task) => task.code?.text),
    [],
    'the chase closes by itself once the report is back',
  );

  const measure = (await (await platform.fetch('/api/referrals/loop')).json()) as {
    referrals: number;
    closed: number;
    closureRate: number;
    medianDays: { from: string; to: string; days: number | null }[];
  };
  assert.deepEqual([measure.referrals, measure.closed, measure.closureRate], [1, 1, 1]);
  const sentToReport = measure.medianDays.find(
    (step) => step.from === 'sent' && step.to === 'report-received',
  );
  assert.ok(sentToReport?.days !== null && sentToReport!.days! >= 39, JSON.stringify(measure.medianDays));
});
