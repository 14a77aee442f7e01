import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationOutcome, PlanDefinition } from '@medplum/fhirtypes';
import { fireDueSchedules, RuleCache, type DryRunReport, type RuleRun } from '../automation/index.ts';
import { periodic, ruleOf, step } from '../automation/testing/rule-builder.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { automationService } from './automation-service.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * The batch connector as a scheduled rule (issue 17): "every day at 06:00, the final results as
 * CSV into the lab's folder". Real files in a temporary AUTOMATION_EXTRACT_DIR; the clock runs
 * ahead of the machine's, so the rule written now owes the occurrences the test steps to.
 */
let platform: TestPlatform;
let root: string;
let now = new Date('2027-05-03T05:00:00Z');
const clock = { now: () => new Date(now) };
const exports = () => join(root, 'lab', 'daily');

const extractRule = (folder = 'lab/daily'): PlanDefinition => {
  const plan = ruleOf({
    title: 'daily final results',
    resourceType: 'Observation',
    status: 'active',
    actions: [
      step('extract', {
        criteria: "'Observation?status=final'",
        format: "'csv'",
        name: "'finals'",
        folder: `'${folder}'`,
        'column.id': 'id',
        'column.code': 'code.text',
      }),
    ],
  });
  plan.action![0]!.trigger = [periodic({ rrule: 'FREQ=DAILY;BYHOUR=6' })];
  return plan;
};

describeEachBackend('automation rules: a scheduled batch extract', (backend) => {
  before(async () => {
    now = new Date('2027-05-03T05:00:00Z');
    root = mkdtempSync(join(tmpdir(), 'throughline-extracts-'));
    platform = await startTestPlatform(backend, { AUTOMATION_EXTRACT_DIR: root }, { clock });
    for (const [status, text] of [
      ['final', 'glucose'],
      ['final', 'HbA1c'],
      ['preliminary', 'lipids'],
    ])
      await platform.create({ resourceType: 'Observation', status, code: { text } } as never);
  });
  after(async () => {
    await platform.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const post = (path: string, plan: PlanDefinition) =>
    platform.fetch(path, { method: 'POST', body: JSON.stringify(plan) });

  const at = async (iso: string, memory = new Map<string, number>()) => {
    now = new Date(iso);
    const deps = { repository: platform.repository, db: platform.db, clock, extractRoot: root };
    await fireDueSchedules(automationService(deps), { cache: new RuleCache(platform.repository), memory });
    await platform.worker.drain();
  };

  test('a folder outside AUTOMATION_EXTRACT_DIR is a 400 naming the path, for the dry run too', async () => {
    for (const path of ['/api/automation/rules', '/api/automation/rules/$dry-run']) {
      const response = await post(path, extractRule('lab/../../etc'));
      assert.equal(response.status, 400, path);
      const outcome = (await response.json()) as OperationOutcome;
      assert.deepEqual(outcome.issue[0]?.expression, [
        'PlanDefinition.action[0].action[0].dynamicValue[3].expression.expression',
      ]);
      assert.match(outcome.issue[0]?.diagnostics ?? '', /lab\/\.\.\/\.\.\/etc.*\.\./);
    }
    assert.deepEqual(readdirSync(root), []);
  });

  test('the dry run says what it would write, and writes nothing; then the rule is activated', async () => {
    const response = await post('/api/automation/rules/$dry-run', extractRule());
    assert.equal(response.status, 200);
    const report = (await response.json()) as DryRunReport;
    assert.equal(report.schedule?.next[0]?.at, '2027-05-03T06:00:00.000Z');
    assert.equal(report.schedule?.cohortSize, 2);
    const [planned] = report.wouldAct[0]?.actions ?? [];
    assert.equal(report.wouldAct[0]?.event, 'occurrence/2027-05-03T06:00:00.000Z');
    assert.match(
      planned?.note ?? '',
      /^would write lab\/daily\/finals-2027-05-03T060000Z\.csv: 2 rows, \d+ bytes$/,
    );
    assert.deepEqual(readdirSync(root), []);
    assert.equal((await post('/api/automation/rules', extractRule())).status, 201);
  });

  test('each occurrence writes its file once; the run log records the file, rows and bytes', async () => {
    await at('2027-05-03T06:00:30Z');
    await at('2027-05-03T06:10:00Z', new Map());
    assert.deepEqual(readdirSync(exports()), ['finals-2027-05-03T060000Z.csv']);
    const file = join(exports(), 'finals-2027-05-03T060000Z.csv');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,code');
    assert.deepEqual(
      lines
        .slice(1)
        .map((line) => line.split(',')[1])
        .sort(),
      ['HbA1c', 'glucose'],
    );

    const runs = await runsOf();
    assert.equal(runs.length, 1, 'one occurrence, one run');
    assert.equal(runs[0]?.status, 'success');
    assert.deepEqual(
      { file: runs[0]?.actions[0]?.file, rows: runs[0]?.actions[0]?.rows, bytes: runs[0]?.actions[0]?.bytes },
      { file: 'lab/daily/finals-2027-05-03T060000Z.csv', rows: 2, bytes: statSync(file).size },
    );

    await at('2027-05-04T06:00:30Z');
    assert.deepEqual(readdirSync(exports()).sort(), [
      'finals-2027-05-03T060000Z.csv',
      'finals-2027-05-04T060000Z.csv',
    ]);
    assert.equal((await runsOf()).length, 2);
  });

  async function runsOf(): Promise<RuleRun[]> {
    const listed = (await (await platform.fetch('/api/automation/rules')).json()) as {
      rules: PlanDefinition[];
    };
    const id = listed.rules.find((plan) => plan.title === 'daily final results')!.id!;
    return ((await (await platform.fetch(`/api/automation/rules/${id}/runs`)).json()) as { runs: RuleRun[] })
      .runs;
  }
});
