import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient, PlanDefinition } from '@medplum/fhirtypes';
import type { DryRunReport, RuleRun } from '../automation/index.ts';
import { ruleOf, step } from '../automation/testing/rule-builder.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { dryRunThenSave } from './testing/rule-requests.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

type Named<T> = T & { patientName?: string };

/**
 * The run log and the dry run name each run's patient for the Automation page — through the
 * caller's checkpoint; a run carries its trigger's labels, so a practice manager reads neither
 * the run about a restricted patient (`R`, a label her role lacks) nor that patient's name.
 */
let platform: TestPlatform;
let rule: string;
let visible: string;
let restricted: string;
let manager: string;
let integration: string;
describeEachBackend('automation runs name their patients, as the caller may see them', (backend) => {
  before(async () => {
    platform = await startTestPlatform(backend, { QUIET_HOURS: 'off' });
    const plan = ruleOf({
      title: 'Task on a changed address',
      resourceType: 'Patient',
      on: 'data-modified',
      actions: [step('task', { description: "'Check the new address'" })],
      status: 'active',
    });
    const { saved } = await dryRunThenSave(platform, plan);
    rule = ((await saved.json()) as PlanDefinition).id!;
    visible = await changedPatient({ family: 'Seenby', given: ['Vera'] });
    restricted = await changedPatient({ family: 'Hiddenfrom', given: ['Rosa'] }, [
      { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' },
    ]);
    await platform.worker.drain();
    manager = await staffToken(platform, 'practice-manager');
    integration = await staffToken(platform, 'integration');
  });
  after(() => platform.stop());

  /** A Patient created, then updated (the rule acts on the update): its reference. */
  async function changedPatient(
    name: { family: string; given: string[] },
    security: { system: string; code: string }[] = [],
  ): Promise<string> {
    const patient: Patient = {
      resourceType: 'Patient',
      name: [name],
      ...(security.length ? { meta: { security } } : {}),
    };
    // The platform's own store: the test client's role lacks the label too.
    const { resource } = await platform.repository.create(patient);
    await platform.repository.update({ ...resource, address: [{ city: 'Springfield' }] });
    return `Patient/${resource.id}`;
  }

  async function runsAs(path: string, token?: string): Promise<{ text: string; runs: Named<RuleRun>[] }> {
    const response = await platform.fetch(path, token ? { token } : {});
    assert.equal(response.status, 200);
    const text = await response.text();
    return { text, runs: (JSON.parse(text) as { runs: Named<RuleRun>[] }).runs };
  }

  const about = (runs: Named<RuleRun>[], patient: string) => runs.find((run) => run.patient === patient);

  test('a caller whose role has the label reads every run with its patient by name', async () => {
    const { runs } = await runsAs(`/api/automation/rules/${rule}/runs`, integration);
    assert.equal(about(runs, visible)?.patientName, 'Vera Seenby');
    assert.equal(about(runs, restricted)?.patientName, 'Rosa Hiddenfrom');
  });

  test('a run carries the labels of the write that triggered it, so a practice manager never reads the restricted patient’s', async () => {
    const { runs, text } = await runsAs(`/api/automation/rules/${rule}/runs`, manager);
    assert.equal(about(runs, visible)?.patientName, 'Vera Seenby');
    // That her address changed and a task was made is hers as much as her name is.
    assert.equal(about(runs, restricted), undefined, 'the run about the restricted patient is not listed');
    assert.doesNotMatch(text, /Hiddenfrom|Rosa/);
    const own = await runsAs(`/api/automation/runs?patient=${restricted}`, manager);
    assert.equal(own.runs.length, 0);
    const labelled = await runsAs(`/api/automation/runs?patient=${restricted}`, integration);
    assert.deepEqual(
      labelled.runs[0]?.labels?.map((label) => label.code),
      ['R'],
      'the stored run holds its trigger’s label',
    );
    // And so does what the run made: the Task tells the same story.
    const tasks = await platform.repository.search({
      resourceType: 'Task',
      params: [['patient', restricted]],
    });
    const task = tasks.entry?.[0]?.resource;
    assert.ok(task, 'the rule made its Task');
    assert.deepEqual(
      task.meta?.security?.map((label) => label.code),
      ['R'],
    );
  });

  test('the dry run names the patients the caller may see', async () => {
    const response = await platform.fetch(`/api/automation/rules/${rule}/$dry-run?days=1`, {
      method: 'POST',
      body: '{}',
      token: manager,
    });
    assert.equal(response.status, 200);
    const text = await response.text();
    const report = JSON.parse(text) as { wouldAct: Named<DryRunReport['wouldAct'][number]>[] };
    assert.equal(report.wouldAct.find((item) => item.patient === visible)?.patientName, 'Vera Seenby');
    assert.doesNotMatch(text, /Hiddenfrom|Rosa/);
  });
});
