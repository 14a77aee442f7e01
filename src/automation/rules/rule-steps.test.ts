import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleAction } from './rule-model.ts';
import { stepsOf, type Side } from './rule-steps.ts';

const task = (description: string): RuleAction => ({ type: 'task', values: { description } });
const branch = (condition: string, then: RuleAction[], otherwise: RuleAction[] = []): RuleAction => ({
  type: 'branch',
  values: {},
  branch: { condition, then, else: otherwise },
});

/** A rule: a, then if X (b, then if Y (c) else (d)) else (e), then f. */
const rule = [
  task('a'),
  branch('X', [task('b'), branch('Y', [task('c')], [task('d')])], [task('e')]),
  task('f'),
];

const addresses = (taken: Side[]) =>
  stepsOf(rule, (position) => taken[position === 1 ? 0 : position === 3 ? 1 : -1]).map(
    (step) => `${step.address}:${step.action.values.description ?? 'branch'}`,
  );

test('the steps stop at the first branch not yet decided: nothing after it is known', () => {
  assert.deepEqual(addresses([]), ['0:a', '1:branch']);
  assert.deepEqual(addresses(['then']), ['0:a', '1:branch', '1.then.0:b', '1.then.1:branch']);
});

test('each branch is followed by the side it took, nested sides included, then the steps after it', () => {
  assert.deepEqual(addresses(['then', 'else']), [
    '0:a',
    '1:branch',
    '1.then.0:b',
    '1.then.1:branch',
    '1.then.1.else.0:d',
    '2:f',
  ]);
  const otherwise = stepsOf(rule, (position) => (position === 1 ? 'else' : undefined));
  assert.deepEqual(
    otherwise.map((step) => step.address),
    ['0', '1', '1.else.0', '2'],
  );
});
