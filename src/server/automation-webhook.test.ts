import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { DryRunReport, RuleRun } from '../automation/index.ts';
import { startHookReceiver, type HookReceiver } from '../automation/testing/hook-receiver.ts';
import { ruleOf, step } from '../automation/testing/rule-builder.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { dryRunThenSave } from './testing/rule-requests.ts';

const SECRET = 'webhook-test-secret';

/** The webhook action end to end: signed JSON at a real HTTP receiver, retried, held to the allowed hosts. */
let platform: TestPlatform;
let hook: HookReceiver;
let patient: string;
describeEachBackend('automation rules: the webhook action', (backend) => {
  before(async () => {
    hook = await startHookReceiver();
    platform = await startTestPlatform(backend, {
      SUBSCRIPTION_ALLOWED_HOSTS: '127.0.0.1',
      SUBSCRIPTION_RETRY_BASE_SECONDS: '1',
      AUTOMATION_WEBHOOK_SECRET: SECRET,
    });
    patient = await platform.create({ resourceType: 'Patient', name: [{ family: 'Hook' }] } as never);
  });
  after(async () => {
    await platform.stop();
    await hook.close();
  });

  /** Saves a rule as active after its dry run, as a practice manager would. */
  async function activate(title: string, url: string): Promise<{ id: string; dry: DryRunReport }> {
    const rule = ruleOf({
      title,
      resourceType: 'Flag',
      on: 'data-added',
      when: `%resource.code.text = '${title}'`,
      actions: [step('webhook', { url: `'${url}'`, flag: '%resource.code.text' })],
      status: 'active',
    });
    const { dry, saved } = await dryRunThenSave(platform, rule);
    assert.equal(saved.status, 201);
    await platform.worker.drain();
    return { id: ((await saved.json()) as { id: string }).id, dry: (await dry.json()) as DryRunReport };
  }

  const flag = async (text: string) => {
    const id = await platform.create({
      resourceType: 'Flag',
      status: 'active',
      code: { text },
      subject: { reference: `Patient/${patient}` },
    } as never);
    await platform.worker.drain();
    return id;
  };

  const runsOf = async (rule: string) =>
    ((await (await platform.fetch(`/api/automation/rules/${rule}/runs`)).json()) as { runs: RuleRun[] }).runs;

  test('posts signed JSON about the write; a 500 is retried with the same body and key', async () => {
    const { id: rule } = await activate('signed', `${hook.url}/rules`);
    hook.failNext([500]);
    const id = await flag('signed');
    const posts = hook.received.filter((each) => each.path === '/rules');
    assert.equal(posts.length, 2, 'the 500, then the retry');
    assert.deepEqual(
      posts.map((each) => each.status),
      [500, 200],
    );
    assert.equal(posts[0]!.body, posts[1]!.body);
    assert.equal(posts[0]!.headers['idempotency-key'], posts[1]!.headers['idempotency-key']);
    const body = JSON.parse(posts[1]!.body) as Record<string, string>;
    assert.equal(body.event, `Flag/${id}/_history/1`);
    assert.equal(body.flag, 'signed');
    const signature = createHmac('sha256', SECRET).update(posts[1]!.body).digest('hex');
    assert.equal(posts[1]!.headers['x-signature'], signature);
    const [run] = await runsOf(rule);
    assert.equal(run?.status, 'success');
    assert.match(run?.actions[0]?.detail ?? '', /HTTP 200/);
  });

  test('an endpoint outside SUBSCRIPTION_ALLOWED_HOSTS is refused with the reason, nothing sent', async () => {
    const before = hook.received.length;
    const { id: rule, dry } = await activate('blocked', 'http://10.20.30.40/hook');
    assert.equal(dry.wouldAct.length, 0, 'no Flag of that kind before');
    await flag('blocked');
    const [run] = await runsOf(rule);
    assert.equal(run?.status, 'failure');
    assert.match(run?.reason ?? '', /not in SUBSCRIPTION_ALLOWED_HOSTS/);
    assert.equal(hook.received.length, before);
  });

  test('the dry run lists the webhook exactly as the live run sent it', async () => {
    const { id: rule } = await activate('listed', `${hook.url}/listed`);
    await flag('listed');
    const plan = await (await platform.fetch(`/api/automation/rules/${rule}`)).json();
    const dry = (await (
      await platform.fetch('/api/automation/rules/$dry-run?days=1', {
        method: 'POST',
        body: JSON.stringify(plan),
      })
    ).json()) as DryRunReport;
    const live = hook.received.filter((each) => each.path === '/listed').map((each) => JSON.parse(each.body));
    assert.equal(live.length, 1);
    assert.deepEqual(
      dry.wouldAct.map((item) => [item.event, item.actions[0]?.type, item.actions[0]?.values]),
      [[live[0].event, 'webhook', { url: `${hook.url}/listed`, flag: 'listed' }]],
    );
  });
});
