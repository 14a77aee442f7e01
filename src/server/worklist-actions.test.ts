import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationOutcome, Task } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Issue #12: anyone with Task update could take over a task someone else had claimed, and
 * assign it to any made-up owner. Held work now stays held, and owners must exist.
 */
describe('worklist actions respect who holds a task', () => {
  let platform: TestPlatform;
  let patient = '';
  const tokens: Record<string, string> = {};
  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
    patient = await platform.create({ resourceType: 'Patient' });
    for (const role of ['nurse', 'physician', 'care-coordinator'])
      tokens[role] = await staffToken(platform, role);
  });
  after(() => platform.stop());

  const newTask = () => {
    const task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      for: { reference: `Patient/${patient}` },
    };
    return platform.create(task);
  };
  const act = async (role: string, taskId: string, action: string, body: object = {}) => {
    const response = await platform.fetch(`/api/worklists/tasks/${taskId}/${action}`, {
      method: 'POST',
      token: tokens[role]!,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as Pick<Task, 'owner'> & Pick<OperationOutcome, 'issue'>,
    };
  };
  const staffId = async (role: string) => {
    const result = await platform.db.query<{ id: string }>('SELECT id FROM staff_user WHERE email = $1', [
      `${role}@staff.test`,
    ]);
    return result.rows[0]!.id;
  };

  test('claiming a task someone else claimed is a conflict; they keep it', async () => {
    const taskId = await newTask();
    assert.equal((await act('nurse', taskId, 'claim')).status, 200);
    const takeover = await act('physician', taskId, 'claim');
    assert.equal(takeover.status, 409);
    assert.deepEqual(takeover.body.issue[0]?.expression, ['Task.owner']);
    assert.equal((await act('physician', taskId, 'release')).status, 403, 'nor may they release it');
    assert.equal(
      (await act('physician', taskId, 'assign', { owner: await staffId('physician') })).status,
      403,
    );
    const task = (await (await platform.fetch(`/fhir/Task/${taskId}`)).json()) as Task;
    assert.equal(task.owner?.identifier?.value, await staffId('nurse'));
    assert.equal((await act('nurse', taskId, 'claim')).status, 200, 'claiming your own again is fine');
  });

  test('a care coordinator may release or re-assign a held task', async () => {
    const taskId = await newTask();
    assert.equal((await act('nurse', taskId, 'claim')).status, 200);
    const reassigned = await act('care-coordinator', taskId, 'assign', { owner: await staffId('physician') });
    assert.equal(reassigned.status, 200, JSON.stringify(reassigned.body));
    assert.equal(reassigned.body.owner?.identifier?.value, await staffId('physician'));
    assert.equal((await act('care-coordinator', taskId, 'release')).status, 200);
    assert.equal((await act('nurse', taskId, 'claim')).status, 200, 'released: anyone may claim it');
  });

  test('assign names an owner that exists: a Practitioner or a staff user', async () => {
    const practitioner = await platform.create({ resourceType: 'Practitioner' });
    for (const owner of ['Practitioner/does-not-exist', 'nobody-at-all', 'Patient/' + patient, 'a b']) {
      const taskId = await newTask();
      const refused = await act('care-coordinator', taskId, 'assign', { owner });
      assert.equal(refused.status, 400, owner);
      assert.deepEqual(refused.body.issue[0]?.expression, ['owner'], owner);
    }
    const taskId = await newTask();
    const assigned = await act('nurse', taskId, 'assign', { owner: `Practitioner/${practitioner}` });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    assert.equal(assigned.body.owner?.reference, `Practitioner/${practitioner}`);
  });
});
