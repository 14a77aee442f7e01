import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { seedDemoClinic, type IdentityTruth } from '../demo/index.ts';
import { systemClock } from '../kernel/clock.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Maya's story on a platform that already holds other people (issue 13, item 7): the phone
 * system's bare record of her — an initial, her surname, her number — is rightly queued for
 * review rather than linked, and her 360 view says so, so the front desk learns that the call
 * about her appointment time was hers.
 */
interface View {
  person: { records: { patient: { id: string } }[] };
  possibleDuplicates: {
    task: string;
    status: string;
    score: number;
    agreeing: { field: string; level: string; weight: number }[];
    record: string;
    candidate: { reference: string; name?: string; telecom: string[]; source?: string };
  }[];
  needsAttention: { kind: string; reference: string; text: string }[];
  attentionCounts: Record<string, number>;
}

// Fixed ids on both sides of any UUID: a review Task's focus is the pair's first id, so one
// person's record sorts first in its pair and the other person's sorts second.
const BEFORE_ALL = '00000000-0000-4000-8000-000000000001';
const AFTER_ALL = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

let platform: TestPlatform;
let truth: IdentityTruth;
let other = '';

/** What a phone system keeps of a caller: an initial, a surname and the number they called from. */
async function phoneSystemRecord(id: string, of: string): Promise<void> {
  const known = (await (await platform.fetch(`/fhir/Patient/${of}`)).json()) as Patient;
  const phone = known.telecom?.find((point) => point.system === 'phone')?.value;
  const family = known.name?.[0]?.family;
  const initial = known.name?.[0]?.given?.[0]?.[0];
  const response = await platform.fetch(`/fhir/Patient/${id}`, {
    method: 'PUT',
    body: JSON.stringify({
      resourceType: 'Patient',
      id,
      meta: { source: 'phone-system' },
      name: [{ family, given: [initial] }],
      telecom: [{ system: 'phone', value: phone }],
    }),
  });
  assert.equal(response.status, 201, await response.text());
}

before(async () => {
  platform = await startTestPlatform(pgliteBackend);
  const seeded = await seedDemoClinic(platform.repository, { patients: 30, seed: 2, now: systemClock.now() });
  truth = seeded.truth;
  await platform.worker.drain();
  other = truth.people.find((person) => person.patientIds.length === 1 && !person.personKey.endsWith('maya'))!
    .patientIds[0]!;
  await phoneSystemRecord(BEFORE_ALL, truth.maya.gpPatientId);
  await phoneSystemRecord(AFTER_ALL, other);
  await platform.worker.drain();
});
after(() => platform?.stop());

async function view(id: string, token: string): Promise<View> {
  const response = await platform.fetch(`/api/patients/${id}/360`, { token });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as View;
}

for (const role of ['front-desk', 'care-coordinator']) {
  test(`${role}: Maya's 360 lists the phone system's record with its score, agreeing fields and review Task`, async () => {
    const token = await staffToken(platform, role);
    const maya = await view(truth.maya.gpPatientId, token);
    assert.ok(!maya.person.records.some((record) => record.patient.id === BEFORE_ALL), 'not linked');
    assert.equal(maya.possibleDuplicates.length, 1, JSON.stringify(maya.possibleDuplicates));
    const [duplicate] = maya.possibleDuplicates;
    assert.equal(duplicate!.candidate.reference, `Patient/${BEFORE_ALL}`);
    assert.equal(duplicate!.candidate.source, 'phone-system');
    assert.equal(duplicate!.record, `Patient/${truth.maya.gpPatientId}`);
    assert.ok(duplicate!.score > 0);
    assert.deepEqual(duplicate!.agreeing.map((field) => field.field).sort(), ['family', 'phone']);
    assert.equal(duplicate!.status, 'requested');
    const task = (await (await platform.fetch(`/fhir/${duplicate!.task}`, { token })).json()) as {
      code?: { coding?: { code?: string }[] };
      status: string;
    };
    assert.equal(task.code?.coding?.[0]?.code, 'possible-duplicate');
    assert.equal(maya.attentionCounts['possible-duplicate'], 1);
    const items = maya.needsAttention.filter((item) => item.reference === duplicate!.task);
    assert.deepEqual(
      items.map((item) => item.kind),
      ['possible-duplicate'],
      'counted once, not again as an open task',
    );
  });
}

test('whichever record sorts first in the pair, both people see their pending duplicate', async () => {
  const token = await staffToken(platform, 'front-desk');
  const theirs = await view(other, token);
  assert.deepEqual(
    theirs.possibleDuplicates.map((duplicate) => duplicate.candidate.reference),
    [`Patient/${AFTER_ALL}`],
  );
  const call = await view(BEFORE_ALL, token);
  assert.deepEqual(
    call.possibleDuplicates.map((duplicate) => duplicate.candidate.reference),
    [`Patient/${truth.maya.gpPatientId}`],
    "the call's own record points at Maya",
  );
});

test('a patient does not see the other record through her view', async () => {
  const token = await patientToken(platform, truth.maya.gpPatientId);
  const maya = await view(truth.maya.gpPatientId, token);
  assert.deepEqual(maya.possibleDuplicates, []);
  assert.equal(maya.attentionCounts['possible-duplicate'], undefined);
  assert.ok(!JSON.stringify(maya).includes(BEFORE_ALL), 'nothing of the phone-system record');
  const stranger = await patientToken(platform, other);
  const refused = await platform.fetch(`/api/patients/${BEFORE_ALL}/360`, { token: stranger });
  assert.ok([403, 404].includes(refused.status), `${refused.status}`);
});
