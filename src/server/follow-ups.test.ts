import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationOutcome, Task } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/** Issue 19: "create a task" from the 360 page — a follow-up on the team's worklist. */
describe('follow-ups: a task set for a patient lands on the follow-ups worklist', () => {
  let platform: TestPlatform;
  let patient = '';
  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
    const fay = { resourceType: 'Patient', name: [{ family: 'Follow', given: ['Fay'] }] };
    patient = `Patient/${await platform.create(fay)}`;
  });
  after(() => platform.stop());

  const post = async (token: string, body: unknown) =>
    platform.fetch('/api/worklists/follow-ups', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('the front desk sets one; it is on the list with its due date, requester and note', async () => {
    const token = await staffToken(platform, 'front-desk');
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const response = await post(token, {
      patient,
      title: 'Call back about the intake form',
      note: 'Prefers mornings',
      due,
    });
    assert.equal(response.status, 201, await response.clone().text());
    const task = (await response.json()) as Task;
    assert.equal(task.for?.reference, patient);
    assert.equal(task.requester?.display, 'front-desk');
    assert.equal(task.restriction?.period?.end?.slice(0, 10), due);
    const list = await platform.fetch('/api/worklists/follow-ups', { token });
    const items = ((await list.json()) as { items: { reference: string; title: string; patient?: string }[] })
      .items;
    assert.deepEqual(
      items.map((item) => [item.reference, item.title, item.patient]),
      [[`Task/${task.id}`, 'Call back about the intake form', patient]],
    );
  });

  test('bad input is a 400 naming the field, and nothing is written', async () => {
    const token = await staffToken(platform, 'nurse');
    const before = await platform.repository.search({ resourceType: 'Task', params: [] });
    for (const [body, field] of [
      [{ patient, title: '' }, 'title'],
      [{ patient: 'Observation/1', title: 'x' }, 'patient'],
      [{ patient, title: 'x', due: '2020-01-01' }, 'due'],
      [{ patient, title: 'x', due: 'soon' }, 'due'],
      [{ patient, title: 'x', priority: 'whenever' }, 'priority'],
    ] as const) {
      const response = await post(token, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const outcome = (await response.json()) as OperationOutcome;
      assert.deepEqual(outcome.issue[0]?.expression, [field]);
    }
    const missing = await post(token, { patient: 'Patient/no-such-person', title: 'x' });
    assert.equal(missing.status, 404);
    const after = await platform.repository.search({ resourceType: 'Task', params: [] });
    assert.equal(after.total ?? after.entry?.length, before.total ?? before.entry?.length);
  });

  test('a role that may not write Tasks is refused; a patient cannot reach another record', async () => {
    const billing = await staffToken(platform, 'billing');
    assert.equal((await post(billing, { patient, title: 'Chase the invoice' })).status, 403);
    const self = await platformPatientToken();
    // Another person's record is not even there for a patient (404: its existence is not disclosed).
    assert.equal((await post(self, { patient, title: 'Please call me' })).status, 404);
    const written = await platform.repository.search({
      resourceType: 'Task',
      params: [['code:text', 'Chase']],
    });
    assert.equal(written.entry?.length ?? 0, 0);
  });

  const platformPatientToken = async () => {
    const record = { resourceType: 'Patient', name: [{ family: 'Other' }] };
    return patientToken(platform, await platform.create(record));
  };
});
