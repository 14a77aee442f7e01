import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationOutcome, QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { initialExpression, queryVariable } from '../fhir/questionnaire-populate.ts';
import {
  COMPLETE_QUESTIONNAIRE,
  questionnaireTaskInput,
  SDC_TASK_SYSTEM,
} from '../fhir/questionnaire-task.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const URL = 'https://clinic.example.org/Questionnaire/before-visit';
const expression = (text: string) => [initialExpression(text)];

const questionnaire = {
  resourceType: 'Questionnaire',
  url: URL,
  version: '2',
  title: 'Before your visit',
  status: 'active',
  extension: [queryVariable('allergies', 'AllergyIntolerance?patient={{%patient.id}}')],
  item: [
    {
      linkId: 'name',
      type: 'string',
      text: 'Name',
      required: true,
      extension: expression('%patient.name.first().given.first()'),
    },
    { linkId: 'born', type: 'date', text: 'Born', extension: expression('%patient.birthDate') },
    {
      linkId: 'allergies',
      type: 'string',
      text: 'Allergies',
      repeats: true,
      extension: expression('%allergies.entry.resource.code.text'),
    },
    { linkId: 'reason', type: 'text', text: 'Why', required: true },
  ],
};

type Answer = { forms?: { task: string; state: string }[]; response?: QuestionnaireResponse } & Pick<
  OperationOutcome,
  'issue'
>;

describeEachBackend(
  'the portal forms: her Questionnaires, prefilled, saved as drafts and submitted',
  (backend) => {
    let platform: TestPlatform;
    let maya = '';
    let mayaTask = '';
    let otherTask = '';
    let mayaToken = '';
    let otherToken = '';
    before(async () => {
      platform = await startTestPlatform(backend);
      maya = await platform.create({
        resourceType: 'Patient',
        name: [{ family: 'Okafor', given: ['Maya'] }],
        birthDate: '1988-04-12',
      } as never);
      const other = await platform.create({ resourceType: 'Patient', name: [{ family: 'Other' }] } as never);
      await platform.create({
        resourceType: 'AllergyIntolerance',
        clinicalStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
          ],
        },
        patient: { reference: `Patient/${maya}` },
        code: { text: 'Penicillin' },
      } as never);
      await platform.create({
        resourceType: 'AllergyIntolerance',
        clinicalStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
          ],
        },
        patient: { reference: `Patient/${other}` },
        code: { text: 'Peanuts' },
      } as never);
      await platform.create(questionnaire);
      const task = (patient: string) =>
        platform.create({
          resourceType: 'Task',
          status: 'requested',
          intent: 'order',
          code: { coding: [{ system: SDC_TASK_SYSTEM, code: COMPLETE_QUESTIONNAIRE }] },
          for: { reference: `Patient/${patient}` },
          input: questionnaireTaskInput(`${URL}|2`),
        } as never);
      mayaTask = await task(maya);
      otherTask = await task(other);
      mayaToken = await patientToken(platform, maya);
      otherToken = await patientToken(platform, other);
    });
    after(() => platform.stop());

    const call = (path: string, init: { token: string; body?: unknown }) =>
      platform.call<Answer>(path, { ...init, method: 'PUT' });

    test('she sees her own form, prefilled from her record; another patient’s form gives nothing', async () => {
      const list = await call('/api/portal/forms', { token: mayaToken });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.forms?.map((f) => [f.task, f.state]),
        [[mayaTask, 'to-do']],
      );
      const opened = await call(`/api/portal/forms/${mayaTask}`, { token: mayaToken });
      assert.equal(opened.status, 200);
      assert.deepEqual(opened.body.response?.item, [
        { linkId: 'name', text: 'Name', answer: [{ valueString: 'Maya' }] },
        { linkId: 'born', text: 'Born', answer: [{ valueDate: '1988-04-12' }] },
        { linkId: 'allergies', text: 'Allergies', answer: [{ valueString: 'Penicillin' }] },
      ]);
      assert.equal((await call(`/api/portal/forms/${otherTask}`, { token: mayaToken })).status, 404);
      const draft = { item: [{ linkId: 'name', answer: [{ valueString: 'Mallory' }] }], submit: false };
      assert.equal(
        (await call(`/api/portal/forms/${mayaTask}`, { token: otherToken, body: draft })).status,
        404,
      );
      const staff = await staffToken(platform, 'front-desk');
      assert.equal((await call('/api/portal/forms', { token: staff })).status, 403);
    });

    test('a draft is kept as in-progress; submitting needs every required answer, then completes the Task', async () => {
      const item = [{ linkId: 'name', answer: [{ valueString: 'Maya' }] }];
      const draft = await call(`/api/portal/forms/${mayaTask}`, {
        token: mayaToken,
        body: { item, submit: false },
      });
      assert.equal(draft.status, 200);
      assert.equal(draft.body.response?.status, 'in-progress');
      assert.deepEqual(
        (await call('/api/portal/forms', { token: mayaToken })).body.forms?.[0]?.state,
        'draft',
      );
      const reopened = await call(`/api/portal/forms/${mayaTask}`, { token: mayaToken });
      assert.equal(reopened.body.response?.id, draft.body.response?.id);
      const early = await call(`/api/portal/forms/${mayaTask}`, {
        token: mayaToken,
        body: { item, submit: true },
      });
      assert.equal(early.status, 400);
      assert.deepEqual(early.body.issue?.[0]?.expression, [
        "QuestionnaireResponse.item.where(linkId='reason')",
      ]);
      const full = [...item, { linkId: 'reason', answer: [{ valueString: 'Tired' }] }];
      const submitted = await call(`/api/portal/forms/${mayaTask}`, {
        token: mayaToken,
        body: { item: full, submit: true },
      });
      assert.equal(submitted.status, 200);
      assert.equal(submitted.body.response?.id, draft.body.response?.id, 'the draft became the response');
      assert.equal(submitted.body.response?.status, 'completed');
      assert.equal(submitted.body.response?.subject?.reference, `Patient/${maya}`);
      assert.equal(submitted.body.response?.questionnaire, `${URL}|2`);
      const task = (await (await platform.fetch(`/fhir/Task/${mayaTask}`)).json()) as Task;
      assert.equal(task.status, 'completed');
      assert.equal(
        task.output?.[0]?.valueReference?.reference,
        `QuestionnaireResponse/${submitted.body.response?.id}`,
      );
      const again = await call(`/api/portal/forms/${mayaTask}`, {
        token: mayaToken,
        body: { item: full, submit: true },
      });
      assert.equal(again.status, 409);
    });

    test('bad answers are 400 naming the field, and nothing is written', async () => {
      const noItems = await call(`/api/portal/forms/${otherTask}`, {
        token: otherToken,
        body: { submit: true },
      });
      assert.equal(noItems.status, 400);
      assert.deepEqual(noItems.body.issue?.[0]?.expression, ['item']);
      const wrong = await call(`/api/portal/forms/${otherTask}`, {
        token: otherToken,
        body: { item: [{ linkId: 'born', answer: [{ valueDate: 'yesterday' }] }], submit: false },
      });
      assert.equal(wrong.status, 400);
      assert.deepEqual(wrong.body.issue?.[0]?.expression, [
        "QuestionnaireResponse.item.where(linkId='born')",
      ]);
      const own = await (
        await platform.fetch('/fhir/QuestionnaireResponse?_count=50', { token: otherToken })
      ).json();
      assert.equal((own as { total?: number; entry?: unknown[] }).entry?.length ?? 0, 0);
    });
  },
);
