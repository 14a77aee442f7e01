import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Task } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { portalCorrections, type CorrectionsAnswer } from './testing/corrections-api.ts';
import { proxyPlatformPerSuite } from './testing/proxy-fixture.ts';

/**
 * Staff answer a request to correct a record from the record-corrections worklist: accept
 * (Task completed) or refuse with a reason (rejected + statusReason), by a role the role matrix
 * lets change that kind of item; the patient reads the answer in her list.
 */
describeEachBackend('staff answer requests to correct a record', (backend) => {
  const suite = proxyPlatformPerSuite(backend);

  const corrections = portalCorrections(suite);
  const ask = async (body: unknown) => (await corrections.ask(suite.f.tokens.ada, body)).body.correction.id;
  const answer = (token: string, task: string, decision: string, body: unknown = {}) =>
    suite.platform.call<CorrectionsAnswer>(`/api/worklists/corrections/${task}/${decision}`, { token, body });
  const hers = async () => (await corrections.list(suite.f.tokens.ada)).body.corrections;

  test('a nurse refuses a result’s correction with a reason; she reads it; it cannot be answered twice', async () => {
    const task = await ask({
      description: 'Not my potassium',
      focus: `Observation/${suite.f.adaData.observation}`,
    });
    const frontDesk = await answer(suite.f.tokens.frontDesk, task, 'reject', { reason: 'Checked' });
    assert.equal(frontDesk.status, 403, 'the front desk may not change results');
    const noReason = await answer(suite.f.tokens.nurse, task, 'reject', { reason: '  ' });
    assert.equal(noReason.status, 400);
    assert.deepEqual(noReason.body.issue?.[0]?.expression, ['reason']);
    const refused = await answer(suite.f.tokens.nurse, task, 'reject', {
      reason: 'The lab confirmed the sample is yours',
    });
    assert.equal(refused.status, 200, JSON.stringify(refused.body));
    const stored = await suite.platform.repository.read<Task>('Task', task);
    assert.equal(stored.status, 'rejected');
    assert.equal(stored.statusReason?.text, 'The lab confirmed the sample is yours');
    const shown = (await hers()).find((each) => each.id === task);
    assert.equal(shown?.status, 'rejected');
    assert.equal(shown?.statusReason, 'The lab confirmed the sample is yours');
    assert.equal((await answer(suite.f.tokens.nurse, task, 'accept')).status, 409, 'already answered');
  });

  test('the front desk accepts a correction of her details; the patient and wrong input are refused', async () => {
    const task = await ask({ description: 'My middle name is missing' });
    assert.equal(
      (await answer(suite.f.tokens.ada, task, 'accept')).status,
      403,
      'not for the patient herself',
    );
    assert.equal((await answer(suite.f.tokens.frontDesk, task, 'approve')).status, 400);
    assert.equal((await answer(suite.f.tokens.frontDesk, task, 'accept', { reason: 7 })).status, 400);
    const accepted = await answer(suite.f.tokens.frontDesk, task, 'accept', {
      reason: 'Added your middle name',
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.correction.status, 'completed');
    assert.equal((await hers()).find((each) => each.id === task)?.status, 'completed');
    const other = await suite.platform.create({
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      for: { reference: `Patient/${suite.f.ada}` },
    } as never);
    const notACorrection = await answer(suite.f.tokens.frontDesk, other, 'accept');
    assert.equal(notACorrection.status, 400);
    assert.deepEqual(notACorrection.body.issue?.[0]?.expression, ['Task.code']);
  });
});
