import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FhirRepository } from '../../store/index.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { openTestStore, type TestStore } from '../../store/testing/open-test-store.ts';
import { ruleOf, step } from '../testing/rule-builder.ts';
import { loadActiveRules } from './active-rules.ts';
import { loadRule } from './load-rule.ts';
import { saveRule } from './save-rule.ts';

describeEachBackend('rules: a rule version read once per process', (backend) => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore(backend);
  });
  after(() => store.db.close());

  /** The store's repository, counting its version reads. */
  const counting = (vreads: string[]): FhirRepository => ({
    ...store.repository,
    vread: (type, id, version) => (
      vreads.push(`${type}/${id}/${version}`),
      store.repository.vread(type, id, version)
    ),
  });
  const saved = async (title: string, status: 'active' | 'draft') => {
    const plan = ruleOf({
      title,
      resourceType: 'Task',
      actions: [step('task', { description: "'x'" })],
      status,
    });
    const { resource } = await saveRule(store.repository, plan, { trusted: true });
    return { id: resource.id!, version: resource.meta!.versionId! };
  };

  test('runs claimed together ask for their rule at once: one read', async () => {
    const ref = await saved('claimed together', 'draft');
    const vreads: string[] = [];
    const rules = await Promise.all(Array.from({ length: 5 }, () => loadRule(counting(vreads), ref)));
    assert.equal(vreads.length, 1);
    assert.ok(rules.every((rule) => rule.title === 'claimed together'));
  });

  test('an active rule read with the others is not read again for its runs', async () => {
    const ref = await saved('already active', 'active');
    await loadActiveRules(store.repository);
    const vreads: string[] = [];
    assert.equal((await loadRule(counting(vreads), ref)).title, 'already active');
    assert.deepEqual(vreads, []);
  });
});
