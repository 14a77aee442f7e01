import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, PlanDefinition, Task } from '@medplum/fhirtypes';
import type { DryRunReport } from '../automation/index.ts';
import type { RuleRun } from '../automation/index.ts';
import { branch, ruleOf, step } from '../automation/testing/rule-builder.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { dryRunThenSave } from './testing/rule-requests.ts';

/** The inbound-message trigger: a reply Communication from a patient, with a keyword condition. */
let platform: TestPlatform;
let patient: string;
describeEachBackend('automation rules: the patient-reply trigger and branches', (backend) => {
  before(async () => {
    platform = await startTestPlatform(backend);
    patient = `Patient/${await platform.create({ resourceType: 'Patient', name: [{ family: 'Reply' }] } as never)}`;
  });
  after(() => platform.stop());

  const replyRule = (): PlanDefinition => {
    const plan = ruleOf({
      title: 'call back on HELP',
      resourceType: 'Communication',
      actions: [
        step('task', { description: "'Patient asked for help: ' + %resource.payload.contentString" }),
      ],
      status: 'active',
    });
    plan.action![0]!.trigger = [
      {
        type: 'named-event',
        name: 'patient-reply',
        condition: {
          language: 'text/fhirpath',
          expression: "%resource.payload.contentString.upper().contains('HELP')",
        },
      },
    ];
    return plan;
  };

  const message = (sender: string, text: string) =>
    platform.create({
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: patient },
      sender: { reference: sender },
      payload: [{ contentString: text }],
    } as never);

  /** The patient's Tasks whose focus is `focus` (a reference). */
  const tasksOf = async (focus: string): Promise<Task[]> => {
    const bundle = (await (
      await platform.fetch(`/fhir/Task?subject=${patient}&_count=100`)
    ).json()) as Bundle;
    return (bundle.entry ?? [])
      .map((entry) => entry.resource as Task)
      .filter((task) => task.focus?.reference === focus);
  };
  const tasksFor = (communication: string) => tasksOf(`Communication/${communication}`);

  test('an unknown named event is refused with its path', async () => {
    const plan = replyRule();
    plan.action![0]!.trigger![0]!.name = 'fax-received';
    const response = await platform.fetch('/api/automation/rules', {
      method: 'POST',
      body: JSON.stringify(plan),
    });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /PlanDefinition\.action\[0\]\.trigger\[0\]\.name/);
  });

  test("a patient's reply with the keyword makes a task; staff messages and other replies do not", async () => {
    const plan = replyRule();
    const { saved } = await dryRunThenSave(platform, plan);
    assert.equal(saved.status, 201);
    const rule = (await saved.json()) as PlanDefinition;
    await platform.worker.drain();
    const help = await message(patient, 'help please');
    const thanks = await message(patient, 'thanks');
    const staff = await message('Practitioner/someone', 'HELP is on the way');
    await platform.worker.drain();
    assert.deepEqual(
      (await tasksFor(help)).map((task) => task.description),
      ['Patient asked for help: help please'],
    );
    assert.equal((await tasksFor(thanks)).length, 0);
    assert.equal((await tasksFor(staff)).length, 0);
    const dry = (await (
      await platform.fetch('/api/automation/rules/$dry-run?days=1', {
        method: 'POST',
        body: JSON.stringify(rule),
      })
    ).json()) as DryRunReport;
    assert.deepEqual(
      dry.wouldAct.map((item) => item.event),
      [`Communication/${help}/_history/1`],
    );
  });

  test('a branch takes the side its condition picks, and the run log says which and why', async () => {
    const plan = ruleOf({
      title: 'route referrals',
      resourceType: 'ServiceRequest',
      on: 'data-added',
      actions: [
        branch("%resource.priority = 'urgent'", {
          then: [step('task', { description: "'Call today'", priority: "'urgent'" })],
          otherwise: [step('task', { description: "'Book within a week'" })],
        }),
        step('task', { description: "'Send the letter'" }),
      ],
      status: 'active',
    });
    const { saved } = await dryRunThenSave(platform, plan);
    assert.equal(saved.status, 201);
    const rule = (await saved.json()) as PlanDefinition;
    await platform.worker.drain();
    const referral = (priority: string) =>
      platform.create({
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        priority,
        subject: { reference: patient },
      } as never);
    const urgent = await referral('urgent');
    const routine = await referral('routine');
    await platform.worker.drain();
    const tasks = async (id: string) =>
      (await tasksOf(`ServiceRequest/${id}`)).map((task) => task.description).sort();
    assert.deepEqual(await tasks(urgent), ['Call today', 'Send the letter']);
    assert.deepEqual(await tasks(routine), ['Book within a week', 'Send the letter']);
    const runs = (
      (await (await platform.fetch(`/api/automation/rules/${rule.id}/runs`)).json()) as { runs: RuleRun[] }
    ).runs;
    const logOf = (id: string) =>
      runs
        .find((run) => run.event.startsWith(`ServiceRequest/${id}/`))!
        .actions.map((a) => [a.index, a.step ?? '', a.type, a.branch ?? '', a.outcome]);
    assert.deepEqual(logOf(urgent), [
      [0, '', 'branch', 'then', 'done'],
      [1, '0.then.0', 'task', '', 'done'],
      [2, '1', 'task', '', 'done'],
    ]);
    assert.deepEqual(logOf(routine)[0], [0, '', 'branch', 'else', 'done']);
    assert.match(runs[0]!.actions[0]!.detail ?? '', /%resource.priority = 'urgent' is (not )?true/);
    const dry = (await (
      await platform.fetch('/api/automation/rules/$dry-run?days=1', {
        method: 'POST',
        body: JSON.stringify(rule),
      })
    ).json()) as DryRunReport;
    const planned = dry.wouldAct.find((item) => item.event.startsWith(`ServiceRequest/${routine}/`));
    assert.deepEqual(
      planned?.actions.map((a) => [a.type, a.branch ?? a.values.description]),
      [
        ['branch', 'else'],
        ['task', 'Book within a week'],
        ['task', 'Send the letter'],
      ],
    );
  });
});
