import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, CommunicationRequest, Task } from '@medplum/fhirtypes';
import {
  installRecipes,
  prefetchRuns,
  runRule,
  runRuleJobs,
  type DryRunReport,
  type RuleRun,
} from '../automation/index.ts';
import { ruleOf, step } from '../automation/testing/rule-builder.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { automationService } from './automation-service.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { dryRunThenSave } from './testing/rule-requests.ts';

/** The recipes end to end on a real platform: writes in, CommunicationRequests and runs out, each once. */
let platform: TestPlatform;
let patient: string;
describeEachBackend('automation rules end to end', (backend) => {
  before(async () => {
    platform = await startTestPlatform(backend, { QUIET_HOURS: 'off' });
    await installRecipes(platform.repository, { status: 'active' });
    await platform.worker.drain();
    patient = `Patient/${await create({ resourceType: 'Patient', name: [{ family: 'Rule', given: ['Rita'] }], telecom: [{ system: 'email', value: 'rita@example.test' }] })}`;
  });
  after(() => platform.stop());

  async function requestsAbout(reference: string): Promise<CommunicationRequest[]> {
    const bundle = (await (
      await platform.fetch(`/fhir/CommunicationRequest?subject=${patient}&_count=200`)
    ).json()) as Bundle;
    return (bundle.entry ?? [])
      .map((e) => e.resource as CommunicationRequest)
      .filter((r) => r.about?.some((a) => a.reference === reference));
  }

  async function runsOf(query: string): Promise<RuleRun[]> {
    const response = await platform.fetch(query);
    assert.equal(response.status, 200);
    return ((await response.json()) as { runs: RuleRun[] }).runs;
  }

  /** Creates as the admin client (any resource shape). */
  const create = (resource: object) => platform.create(resource as { resourceType: string });

  const purposeOf = (r: CommunicationRequest) => r.category?.[0]?.coding?.[0]?.code;

  test('a final lab result produces one results-ready request, recorded as a run', async () => {
    const report = {
      resourceType: 'DiagnosticReport',
      status: 'preliminary',
      code: { text: 'HbA1c' },
      subject: { reference: patient },
      issued: new Date().toISOString(),
    };
    const id = await create(report);
    await platform.worker.drain();
    assert.equal((await requestsAbout(`DiagnosticReport/${id}`)).length, 0, 'preliminary: nothing yet');
    await platform.fetch(`/fhir/DiagnosticReport/${id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...report, id, status: 'final' }),
    });
    await platform.worker.drain();
    const requests = await requestsAbout(`DiagnosticReport/${id}`);
    assert.deepEqual(requests.map(purposeOf), ['results-ready']);
    const runs = await runsOf(`/api/automation/rules/lab-result-final/runs`);
    const run = runs.find((r) => r.event === `DiagnosticReport/${id}/_history/2`);
    assert.equal(run?.status, 'success');
    assert.deepEqual(
      run?.actions.map((a) => [a.type, a.outcome, a.result]),
      [['send', 'done', `CommunicationRequest/${requests[0]!.id}`]],
    );
    assert.ok((await runsOf(`/api/automation/runs?patient=${patient}`)).some((r) => r.key === run?.key));
  });

  test('a booked appointment produces a booking request; engagement plans the timed reminders beside it', async () => {
    const start = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const id = await create({
      resourceType: 'Appointment',
      status: 'booked',
      start,
      end: start,
      participant: [{ actor: { reference: patient }, status: 'accepted' }],
    });
    await platform.worker.drain();
    const requests = await requestsAbout(`Appointment/${id}`);
    assert.ok(requests.length >= 2, 'the recipe and engagement reminders');
    assert.ok(requests.every((r) => purposeOf(r) === 'appointment-reminder'));
    const runs = await runsOf(`/api/automation/rules/appointment-booked/runs`);
    assert.equal(runs.filter((r) => r.event.startsWith(`Appointment/${id}/`)).length, 1);
  });

  /** The last lab-result run's event, to replay by hand, with the requests it had written. */
  async function lastLabRunReplay() {
    const [run] = await runsOf(`/api/automation/rules/lab-result-final/runs`);
    const [resourceType, id, , versionId] = run!.event.split('/');
    const about = `${resourceType}/${id}`;
    const deps = automationService({
      repository: platform.repository,
      db: platform.db,
      clock: { now: () => new Date() },
    });
    const event = {
      resourceType: resourceType!,
      id: id!,
      versionId: versionId!,
      action: 'update' as const,
      patient,
      occurredAt: run!.at,
    };
    return { run: run!, about, deps, event, before: await requestsAbout(about) };
  }

  /** The replay performed nothing: the same requests, and still one run recorded under its key. */
  async function assertNothingTwice(replay: Awaited<ReturnType<typeof lastLabRunReplay>>) {
    assert.deepEqual(
      (await requestsAbout(replay.about)).map((r) => r.id),
      replay.before.map((r) => r.id),
    );
    const again = await runsOf(`/api/automation/rules/lab-result-final/runs`);
    assert.equal(again.filter((r) => r.key === replay.run.key).length, 1);
  }

  test('a replayed event performs nothing twice', async () => {
    const replay = await lastLabRunReplay();
    await runRule(replay.deps, { rule: replay.run.rule, event: replay.event });
    await runRule(replay.deps, { rule: replay.run.rule, event: replay.event });
    await assertNothingTwice(replay);
  });

  test('replayed run jobs claimed together (their records read as a set) perform nothing twice', async () => {
    const replay = await lastLabRunReplay();
    const { run, deps } = replay;
    const handler = runRuleJobs(deps);
    const jobs = ['1', '2'].map((jobId) => ({
      id: jobId,
      queue: handler.queue,
      payload: { rule: run.rule, event: replay.event },
      attempts: 1,
      maxAttempts: 5,
    }));
    const read = await prefetchRuns(deps, jobs);
    assert.deepEqual(
      jobs.map((job) => read.get(job.id)?.run?.key),
      [run.key, run.key],
      'both found their record in the one search',
    );
    await handler.prepare!(jobs);
    for (const job of jobs) await handler.handle(job);
    await assertNothingTwice(replay);
  });

  test('the dry run lists exactly what the live run did on the same events', async () => {
    const rule = await (await platform.fetch('/api/automation/rules/lab-result-final')).json();
    const response = await platform.fetch('/api/automation/rules/$dry-run?days=1', {
      method: 'POST',
      body: JSON.stringify(rule),
    });
    const report = (await response.json()) as DryRunReport;
    const runs = await runsOf(`/api/automation/rules/lab-result-final/runs`);
    const live = runs
      .filter((r) => r.actions.length > 0)
      .map((r) => `${r.event} ${r.actions.map((a) => a.type).join(',')}`);
    const dry = report.wouldAct.map((item) => `${item.event} ${item.actions.map((a) => a.type).join(',')}`);
    assert.deepEqual(dry.sort(), live.sort());
    assert.ok(report.stopped.length + report.wouldAct.length >= 1);
  });

  test('a failing rule is recorded with its reason and blocks neither the write nor other rules', async () => {
    const failing = ruleOf({
      title: 'bad purpose',
      resourceType: 'DiagnosticReport',
      when: "%resource.status = 'final'",
      actions: [step('send', { purpose: "'no-such-purpose'" })],
    });
    const { dry, saved } = await dryRunThenSave(platform, failing, { ...failing, status: 'active' });
    assert.equal(dry.status, 200);
    assert.equal(saved.status, 201);
    const ruleId = ((await saved.json()) as { id: string }).id;
    await platform.worker.drain();
    const id = await create({
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { text: 'TSH' },
      subject: { reference: patient },
      issued: new Date().toISOString(),
    });
    await platform.worker.drain();
    assert.deepEqual(
      (await requestsAbout(`DiagnosticReport/${id}`)).map(purposeOf),
      ['results-ready'],
      'the recipe still ran',
    );
    const [run] = await runsOf(`/api/automation/rules/${ruleId}/runs`);
    assert.equal(run?.status, 'failure');
    assert.match(run?.reason ?? '', /no-such-purpose/);
  });

  test('a wait, then a coordinator task unless the gap closed', async () => {
    const waiting = ruleOf({
      title: 'chase',
      resourceType: 'Task',
      on: 'data-added',
      conditions: ["%resource.code.text = 'gap'"],
      actions: [
        step('send', { purpose: "'care-gap'" }),
        step('wait', {}, { timingDuration: { value: 1, code: 's' } }),
        step('task', { description: "'Call about ' + %resource.code.text", worklist: "'care-gaps'" }),
      ],
      status: 'active',
    });
    const saved = (await (await dryRunThenSave(platform, waiting)).saved.json()) as { id: string };
    await platform.worker.drain();
    const gap = await create({
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      code: { text: 'gap' },
      for: { reference: patient },
    });
    await platform.worker.drain();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await platform.worker.drain();
    const runs = await runsOf(`/api/automation/rules/${saved.id}/runs`);
    const run = runs.find((r) => r.event.startsWith(`Task/${gap}/`));
    assert.deepEqual(
      run?.actions.map((a) => a.outcome),
      ['done', 'done', 'done'],
    );
    const task = (await (await platform.fetch(`/fhir/${run!.actions[2]!.result}`)).json()) as Task;
    assert.equal(task.description, 'Call about gap');
    assert.equal(task.focus?.reference, `Task/${gap}`);
    const sent = Date.parse(run!.actions[0]!.at);
    assert.ok(Date.parse(task.authoredOn!) - sent >= 1000, 'the task waited for the wait');
  });
});
