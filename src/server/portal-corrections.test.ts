import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Task } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { portalCorrections, type CorrectionsAnswer } from './testing/corrections-api.ts';
import { grantFor, proxyPlatformPerSuite } from './testing/proxy-fixture.ts';
import { staffToken } from './testing/role-tokens.ts';

/**
 * "Ask us to correct something" (issue 20, right to amend): her request is a Task on the staff's
 * record-corrections worklist, naming an item of her own record or none; she lists hers with
 * their status. Another patient's item → 404, staff → 403, bad input → 400 naming the field,
 * a proxy only with her grant's record scope.
 */
describeEachBackend('the portal: requests to correct her record', (backend) => {
  const suite = proxyPlatformPerSuite(backend);

  const { ask, list } = portalCorrections(suite);

  test('her request is a Task on the record-corrections worklist, and only she lists it', async () => {
    const asked = await ask(suite.f.tokens.ada, {
      description: 'This potassium result is not mine',
      focus: `Observation/${suite.f.adaData.observation}`,
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.correction.status, 'requested');
    const task = (await (
      await suite.platform.fetch(`/fhir/Task/${asked.body.correction.id}`)
    ).json()) as Task;
    assert.equal(task.for?.reference, `Patient/${suite.f.ada}`);
    assert.equal(task.requester?.reference, `Patient/${suite.f.ada}`);
    assert.equal(task.focus?.reference, `Observation/${suite.f.adaData.observation}`);
    assert.equal(task.description, 'This potassium result is not mine');
    assert.equal(task.code?.coding?.[0]?.code, 'record-correction');
    const worklist = await suite.platform.call<{ entry?: { resource: Task }[] }>(
      '/api/worklists/record-corrections',
      {
        token: await suite.platform.token(),
      },
    );
    assert.equal(worklist.status, 200);
    assert.ok(JSON.stringify(worklist.body).includes(asked.body.correction.id), 'on the staff worklist');
    const mine = await list(suite.f.tokens.ada);
    assert.deepEqual(
      mine.body.corrections.map((each) => each.id),
      [asked.body.correction.id],
    );
    assert.deepEqual(
      (await list(suite.f.tokens.maya)).body.corrections,
      [],
      'another patient sees none of hers',
    );
  });

  test('a refusal shows with its reason', async () => {
    const asked = await ask(suite.f.tokens.maya, { description: 'My address is wrong' });
    assert.equal(asked.status, 201);
    const task = await suite.platform.repository.read<Task>('Task', asked.body.correction.id);
    await suite.platform.update({
      ...task,
      status: 'rejected',
      statusReason: { text: 'The address is as you gave it' },
    });
    const [shown] = (await list(suite.f.tokens.maya)).body.corrections;
    assert.equal(shown?.status, 'rejected');
    assert.equal(shown?.statusReason, 'The address is as you gave it');
  });

  test("another patient's item is 404; bad input is a 400 naming the field; staff get 403", async () => {
    const theirs = await ask(suite.f.tokens.maya, {
      description: 'wrong',
      focus: `Observation/${suite.f.veraObservation}`,
    });
    assert.equal(theirs.status, 404);
    const wrong: [unknown, string][] = [
      [{}, 'description'],
      [{ description: '   ' }, 'description'],
      [{ description: 'x'.repeat(2001) }, 'description'],
      [{ description: 12 }, 'description'],
      [{ description: 'wrong', focus: 'not a reference' }, 'focus'],
      [{ description: 'wrong', focus: 7 }, 'focus'],
    ];
    for (const [body, expression] of wrong) {
      const refused = await ask(suite.f.tokens.maya, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.deepEqual(refused.body.issue?.[0]?.expression, [expression], JSON.stringify(refused.body));
    }
    const staff = await staffToken(suite.platform, 'front-desk');
    assert.equal((await ask(staff, { description: 'wrong' })).status, 403);
    assert.equal((await list(staff)).status, 403);
  });

  test('a proxy asks for her dependant only with the record scope of her grant', async () => {
    const asProxy = (body?: unknown) =>
      suite.platform.fetch('/api/portal/corrections', {
        method: body === undefined ? 'GET' : 'POST',
        token: suite.f.tokens.maya,
        headers: { 'x-acting-for': suite.f.ada },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const formsOnly = await suite.platform.create(
      grantFor({ patient: suite.f.ada, account: suite.f.mayaAccount, scope: ['forms'] }),
    );
    assert.equal((await asProxy({ description: 'wrong' })).status, 403);
    assert.equal((await asProxy()).status, 403);
    await suite.platform.repository.delete('RelatedPerson', formsOnly);
    const grant = await suite.platform.create(
      grantFor({ patient: suite.f.ada, account: suite.f.mayaAccount, scope: ['record'] }),
    );
    const asked = await asProxy({ description: 'Her allergy list is out of date' });
    assert.equal(asked.status, 201);
    const { correction } = (await asked.json()) as CorrectionsAnswer;
    const task = await suite.platform.repository.read<Task>('Task', correction.id);
    assert.equal(task.requester?.reference, `RelatedPerson/${grant}`);
    assert.equal(task.for?.reference, `Patient/${suite.f.ada}`);
  });
});
