import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { loadDefaultCatalog } from '../definitions/definitions.ts';
import { planReferralLoops } from './referral-loop-task.ts';

const definition = loadDefaultCatalog().referralLoop!;
const referral: ServiceRequest = {
  resourceType: 'ServiceRequest',
  id: 'sr-1',
  status: 'active',
  intent: 'order',
  identifier: [{ system: 'urn:throughline:hl7v2:order:RIVERSIDE', value: 'R-1' }],
  category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }],
  code: { text: 'Referral to cardiology' },
  subject: { reference: 'Patient/p1' },
  authoredOn: '2026-10-01T09:00:00Z',
};
const plan = (record: Resource[], own: Resource[] = []) =>
  planReferralLoops({ definition, personId: 'p1', record, own });
const stepOf = (task: Task | undefined) => task?.businessStatus?.coding?.[0]?.code;

test('a referral alone is "sent", due to be booked within 14 days; replanning it writes nothing', () => {
  const [task] = plan([referral]);
  assert.equal(stepOf(task), 'sent');
  assert.equal(task!.restriction?.period?.end, '2026-10-15T09:00:00.000Z');
  assert.deepEqual(plan([referral], [{ ...task!, id: 't1', meta: { versionId: '1' } }]), []);
});

test('acceptance by the receiving service, then a report matched by identifier, close the loop', () => {
  const accepted: Task = {
    resourceType: 'Task',
    status: 'accepted',
    intent: 'order',
    focus: { reference: 'ServiceRequest/sr-1' },
    lastModified: '2026-10-03T10:00:00Z',
  };
  assert.equal(stepOf(plan([referral, accepted])[0]), 'accepted');
  const report: Resource = {
    resourceType: 'DocumentReference',
    status: 'current',
    date: '2026-11-02T12:00:00Z',
    content: [{ attachment: { contentType: 'text/plain' } }],
    context: { related: [{ identifier: { system: 'urn:throughline:hl7v2:order:RIVERSIDE', value: 'R-1' } }] },
  };
  const [closed] = plan([referral, accepted, report]);
  assert.equal(closed!.status, 'completed');
  assert.equal(closed!.restriction, undefined, 'nothing is due once the loop closed');
  // The report implies the visit: "booked" and "seen" take its time when nothing else says.
  assert.deepEqual(
    closed!.output?.map((output) => [output.type.coding?.[0]?.code, output.valueDateTime]),
    [
      ['sent', '2026-10-01T09:00:00Z'],
      ['accepted', '2026-10-03T10:00:00Z'],
      ['booked', '2026-11-02T12:00:00Z'],
      ['seen', '2026-11-02T12:00:00Z'],
      ['report-received', '2026-11-02T12:00:00Z'],
    ],
  );
});

test('a withdrawn referral is cancelled and owes nothing; a report for another referral does not close it', () => {
  const other: Resource = {
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: { text: 'Echo' },
    basedOn: [{ reference: 'ServiceRequest/sr-2' }],
    issued: '2026-10-20T00:00:00Z',
  };
  const [open] = plan([referral, other]);
  assert.equal(open!.status, 'in-progress');
  const [withdrawn] = plan([{ ...referral, status: 'revoked' }]);
  assert.equal(withdrawn!.status, 'cancelled');
  assert.equal(withdrawn!.restriction, undefined);
});
