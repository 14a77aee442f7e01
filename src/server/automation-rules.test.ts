import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationOutcome, PlanDefinition } from '@medplum/fhirtypes';
import { branch, periodic, ruleOf, step } from '../automation/testing/rule-builder.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/** Rules over the API: checked on write, activated only after a dry run, managed by the right roles. */
let platform: TestPlatform;
describeEachBackend('automation rules over the API', (backend) => {
  before(async () => {
    platform = await startTestPlatform(backend, { QUIET_HOURS: 'off' });
  });
  after(() => platform.stop());

  const post = (path: string, body: unknown, token?: string) =>
    platform.fetch(path, { method: 'POST', body: JSON.stringify(body), ...(token ? { token } : {}) });

  test('a new database has no rules: the recipes come with the demo clinic seed', async () => {
    const response = await platform.fetch('/api/automation/rules');
    assert.deepEqual(((await response.json()) as { rules: unknown[] }).rules, []);
  });

  test('a rule whose FHIRPath does not run is refused at write, with the path', async () => {
    const bad = ruleOf({
      title: 'broken',
      resourceType: 'DiagnosticReport',
      when: "%resource.status = = 'final'",
      actions: [step('send', { purpose: '%nosuchvariable' })],
    });
    const response = await post('/api/automation/rules', bad);
    assert.equal(response.status, 400);
    const outcome = (await response.json()) as OperationOutcome;
    const paths = outcome.issue.flatMap((issue) => issue.expression ?? []);
    assert.ok(
      paths.includes('PlanDefinition.action[0].trigger[0].condition.expression'),
      JSON.stringify(paths),
    );
    assert.ok(paths.includes('PlanDefinition.action[0].action[0].dynamicValue[0].expression.expression'));
  });

  test('activation needs a dry run of exactly that rule; each version is kept', async () => {
    const rule = ruleOf({
      title: 'final reports',
      resourceType: 'DiagnosticReport',
      when: "%resource.status = 'final'",
      actions: [step('send', { purpose: "'results-ready'" })],
    });
    const draft = (await (await post('/api/automation/rules', rule)).json()) as PlanDefinition;
    const activate = () =>
      platform.fetch(`/api/automation/rules/${draft.id}`, {
        method: 'PUT',
        body: JSON.stringify({ ...draft, status: 'active' }),
      });
    assert.equal((await activate()).status, 400, 'no dry run yet');
    const dryRun = await post(`/api/automation/rules/${draft.id}/$dry-run?days=7`, {});
    assert.equal(dryRun.status, 200);
    const activated = await activate();
    assert.equal(activated.status, 200);
    assert.equal(((await activated.json()) as PlanDefinition).meta?.versionId, '2');
    const history = await platform.fetch(`/fhir/PlanDefinition/${draft.id}/_history`);
    assert.equal(((await history.json()) as { total?: number; entry: unknown[] }).entry.length, 2);
  });

  test('only roles granted automation-rules manage rules and read runs', async () => {
    const manager = await staffToken(platform, 'practice-manager');
    const frontDesk = await staffToken(platform, 'front-desk');
    assert.equal((await platform.fetch('/api/automation/rules', { token: manager })).status, 200);
    assert.equal((await platform.fetch('/api/automation/rules', { token: frontDesk })).status, 403);
    const runs = await platform.fetch('/api/automation/runs?patient=Patient/x', { token: frontDesk });
    assert.equal(runs.status, 403);
    assert.equal(
      (await platform.fetch('/api/automation/runs?patient=nobody', { token: manager })).status,
      400,
    );
  });

  test('a branch without its condition, or with more than two sides, is refused with its path', async () => {
    const plan = ruleOf({
      title: 'bad branch',
      resourceType: 'ServiceRequest',
      actions: [branch("%resource.priority = 'urgent'", { then: [step('task', { description: "'x'" })] })],
    });
    const at = plan.action![0]!.action![0]!;
    at.condition = [];
    at.action = [...at.action!, ...at.action!, ...at.action!];
    const response = await post('/api/automation/rules', plan);
    assert.equal(response.status, 400);
    const paths = ((await response.json()) as OperationOutcome).issue.flatMap(
      (issue) => issue.expression ?? [],
    );
    assert.ok(paths.includes('PlanDefinition.action[0].action[0].condition'), JSON.stringify(paths));
    assert.ok(paths.includes('PlanDefinition.action[0].action[0].action'), JSON.stringify(paths));
  });

  test('a schedule that is not an RRULE in clinic time is refused with its path', async () => {
    const plan = ruleOf({
      title: 'bad schedule',
      resourceType: 'Task',
      actions: [step('task', { description: "'x'" })],
    });
    plan.action![0]!.trigger = [
      periodic({
        rrule: 'DTSTART;TZID=America/Chicago:20260105T080000\nRRULE:FREQ=DAILY',
        cohort: 'task?status=requested',
      }),
    ];
    const response = await post('/api/automation/rules', plan);
    assert.equal(response.status, 400);
    const outcome = (await response.json()) as OperationOutcome;
    assert.deepEqual(
      outcome.issue.map((issue) => issue.expression?.[0]),
      ['PlanDefinition.action[0].trigger[0].timingTiming', 'PlanDefinition.action[0].trigger[0].extension'],
    );
  });
});
