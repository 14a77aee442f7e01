import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, CommunicationRequest, OperationOutcome, PlanDefinition } from '@medplum/fhirtypes';
import { fireDueSchedules, RuleCache, type DryRunReport, type RuleRun } from '../automation/index.ts';
import { periodic, ruleOf, step } from '../automation/testing/rule-builder.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { automationService } from './automation-service.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { dryRunThenSave } from './testing/rule-requests.ts';

/**
 * A scheduled rule (issue 17): "every day at 08:00 clinic time, each overdue care gap → outreach",
 * on a clock the test sets, across the spring DST change in Berlin (08:00 is 07:00Z on Saturday
 * 2027-03-27 and 06:00Z on Sunday). Each occurrence runs once; a restarted ticker (its memory
 * lost) does not run it again; days missed while down are caught up once, not once per day.
 * The clock runs ahead of the machine's: the rule, written now, owes everything after today.
 */
let platform: TestPlatform;
let now = new Date('2027-03-27T06:30:00Z');
const clock = { now: () => new Date(now) };
let overdue: string;
let notDue: string;
describeEachBackend('automation rules: a schedule in the clinic time zone', (backend) => {
  before(async () => {
    now = new Date('2027-03-27T06:30:00Z');
    platform = await startTestPlatform(
      backend,
      { CLINIC_TIME_ZONE: 'Europe/Berlin', QUIET_HOURS: 'off' },
      { clock },
    );
    const patient = await platform.create({
      resourceType: 'Patient',
      name: [{ family: 'Schedule' }],
      telecom: [{ system: 'email', value: 'schedule@example.test' }],
    } as never);
    const gap = (end: string) =>
      platform.create({
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        for: { reference: `Patient/${patient}` },
        restriction: { period: { end } },
      } as never);
    overdue = await gap('2026-03-01T00:00:00Z');
    notDue = await gap('2099-01-01T00:00:00Z');
  });
  after(() => platform.stop());

  const rule = (): PlanDefinition => {
    const plan = ruleOf({
      title: 'daily overdue gaps',
      resourceType: 'Task',
      conditions: ['%resource.restriction.period.end < now()'],
      actions: [step('send', { purpose: "'care-gap'" })],
      status: 'active',
    });
    plan.action![0]!.trigger = [periodic({ rrule: 'FREQ=DAILY;BYHOUR=8', cohort: 'Task?status=requested' })];
    return plan;
  };

  /** One tick as a worker process would run it; a fresh memory is a restarted process. */
  const tick = (memory = new Map<string, number>()) =>
    fireDueSchedules(
      automationService({
        repository: platform.repository,
        db: platform.db,
        clock,
        timeZone: 'Europe/Berlin',
      }),
      {
        cache: new RuleCache(platform.repository),
        memory,
      },
    );

  const at = async (iso: string) => {
    now = new Date(iso);
    await tick();
    await platform.worker.drain();
  };

  const outreach = async (): Promise<CommunicationRequest[]> => {
    const bundle = (await (await platform.fetch('/fhir/CommunicationRequest?_count=100')).json()) as Bundle;
    return (bundle.entry ?? [])
      .map((entry) => entry.resource as CommunicationRequest)
      .filter((request) => request.about?.some((about) => about.reference === `Task/${overdue}`));
  };

  test('a cohort search the store refuses is a 400 naming the cohort', async () => {
    const plan = rule();
    plan.action![0]!.trigger![0]!.extension![0]!.valueString = 'Task?no-such-parameter=1';
    const { dry: response, saved } = await dryRunThenSave(platform, plan);
    assert.ok(response.status >= 400 && response.status < 500, String(response.status));
    assert.equal(saved.status, 400);
    const outcome = (await saved.json()) as OperationOutcome;
    assert.deepEqual(outcome.issue[0]?.expression, [
      'PlanDefinition.action[0].trigger[0].extension[0].valueString',
    ]);
  });

  test('the dry run lists the next occurrences in clinic time and what the first would do', async () => {
    const response = await platform.fetch('/api/automation/rules/$dry-run', {
      method: 'POST',
      body: JSON.stringify(rule()),
    });
    assert.equal(response.status, 200);
    const report = (await response.json()) as DryRunReport;
    assert.deepEqual(report.schedule?.next.slice(0, 2), [
      { at: '2027-03-27T07:00:00.000Z', local: '2027-03-27 08:00 Europe/Berlin' },
      { at: '2027-03-28T06:00:00.000Z', local: '2027-03-28 08:00 Europe/Berlin' },
    ]);
    assert.deepEqual(
      report.wouldAct.map((item) => item.event),
      [`Task/${overdue}/_history/1`],
    );
    assert.deepEqual(
      report.wouldAct[0]?.actions.map((a) => [a.type, a.values.purpose]),
      [['send', 'care-gap']],
    );
    assert.ok(report.stopped.some((item) => item.event === `Task/${notDue}/_history/1`));
    const saved = await platform.fetch('/api/automation/rules', {
      method: 'POST',
      body: JSON.stringify(rule()),
    });
    assert.equal(saved.status, 201, await saved.clone().text());
  });

  test('months of occurrences owed since the rule was written are caught up once', async () => {
    await at('2027-03-27T06:30:00Z');
    await at('2027-03-27T06:40:00Z');
    assert.equal((await outreach()).length, 1, 'the latest owed, Friday 08:00, and only it');
  });

  test('it fires at 08:00 local on each side of the DST change, once per occurrence', async () => {
    await at('2027-03-27T06:59:00Z');
    assert.equal((await outreach()).length, 1, '07:59 CET: not yet');
    await at('2027-03-27T07:00:30Z');
    assert.equal((await outreach()).length, 2, '08:00 CET');
    await at('2027-03-27T07:05:00Z');
    assert.equal((await outreach()).length, 2, 'the same occurrence does not fire again');
    await at('2027-03-28T05:59:00Z');
    assert.equal((await outreach()).length, 2, '07:59 CEST (08:59 by the old offset): not yet');
    await at('2027-03-28T06:00:30Z');
    assert.equal((await outreach()).length, 3, '08:00 CEST');
  });

  test('a restarted ticker does not fire an occurrence again; missed days are caught up once', async () => {
    now = new Date('2027-03-28T06:10:00Z');
    await tick(new Map());
    await platform.worker.drain();
    assert.equal((await outreach()).length, 3, 'the restarted ticker finds the occurrence done');
    await at('2027-04-01T12:00:00Z');
    assert.equal((await outreach()).length, 4, 'four days missed: one catch-up run');
    const runs = (await (await platform.fetch(`/api/automation/rules/${await ruleId()}/runs`)).json()) as {
      runs: RuleRun[];
    };
    const occurrences = runs.runs
      .filter((run) => run.event.startsWith('occurrence/'))
      .map((run) => run.event);
    assert.deepEqual(occurrences.sort(), [
      'occurrence/2027-03-26T07:00:00.000Z',
      'occurrence/2027-03-27T07:00:00.000Z',
      'occurrence/2027-03-28T06:00:00.000Z',
      'occurrence/2027-04-01T06:00:00.000Z',
    ]);
    const members = runs.runs.filter((run) => run.event.startsWith('Task/'));
    assert.equal(members.length, 4);
    assert.ok(members.every((run) => run.status === 'success' && run.actions[0]?.outcome === 'done'));
  });

  test("the worker's own tick fires the next occurrence, without the test ticking", async () => {
    now = new Date('2027-04-02T06:00:30Z');
    // Only a bound for the failure: the tick comes every 15 s (RULE_TICK_MS), and at load 40 what
    // it starts can take seconds more; 25 s left too little of it.
    const deadline = Date.now() + 60_000;
    while ((await outreach()).length < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await platform.worker.drain();
    }
    assert.equal((await outreach()).length, 5);
  });

  async function ruleId(): Promise<string> {
    const listed = (await (await platform.fetch('/api/automation/rules')).json()) as {
      rules: PlanDefinition[];
    };
    return listed.rules.find((plan) => plan.title === 'daily overdue gaps')!.id!;
  }
});
