import type { RuleAction } from './rule-model.ts';

/** A side of a branch. */
export type Side = 'then' | 'else';

/** One step of a run: the action, and where it sits in the rule (`2`, or `1.then.0` inside a branch). */
export interface Step {
  action: RuleAction;
  address: string;
}

/**
 * The steps a run takes, in order, as far as they are known: the rule's actions, each branch
 * followed by the side it took (`taken(position)`, the outcome recorded at that position) and
 * ending at the first branch not yet decided. A step's position in this list is its index in
 * the run, so a resumed run (after a wait, a deferral or a crash) finds the same step at the
 * same position, and its effect the same key (`{run key}/{position}`).
 */
export function stepsOf(actions: RuleAction[], taken: (position: number) => Side | undefined): Step[] {
  const steps: Step[] = [];
  walk(actions, { prefix: '', steps, taken });
  return steps;
}

interface Walk {
  prefix: string;
  steps: Step[];
  taken: (position: number) => Side | undefined;
}

/** False when it stopped at an undecided branch (nothing after it is known yet). */
function walk(actions: RuleAction[], at: Walk): boolean {
  for (const [i, action] of actions.entries()) {
    const position = at.steps.length;
    at.steps.push({ action, address: `${at.prefix}${i}` });
    if (!action.branch) continue;
    const side = at.taken(position);
    if (!side) return false;
    if (!walk(action.branch[side], { ...at, prefix: `${at.prefix}${i}.${side}.` })) return false;
  }
  return true;
}
