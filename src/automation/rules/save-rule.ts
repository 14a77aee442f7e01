import type { PlanDefinition } from '@medplum/fhirtypes';
import { isThroughlineError, ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository, WriteResult } from '../../store/index.ts';
import { parseRule } from './parse-rule.ts';
import { ECA_RULE, PLAN_TYPE_SYSTEM, RULE_PROFILE } from './rule-profile.ts';
import { ruleHash } from './rule-hash.ts';
import { wasDryRun } from './dry-run-review.ts';
import { scheduleOf, type Cohort } from './rule-model.ts';
import { COHORT_URL } from './rule-profile.ts';

export interface SaveRuleOptions {
  /** The built-in recipes, seeded by the platform itself, are activated without a dry run. */
  trusted?: boolean;
}

/**
 * Writes a rule (create, or update when it has an id) through the caller's store: checked
 * first (a bad FHIRPath is a 400 naming its path), marked with the profile, and refused as
 * `active` unless a dry run of exactly this rule was looked at. The store keeps every
 * version with who wrote it and when (meta, history, the audit record).
 */
export async function saveRule(
  repository: FhirRepository,
  plan: PlanDefinition,
  options: SaveRuleOptions = {},
): Promise<WriteResult<PlanDefinition>> {
  const rule = parseRule(plan);
  const cohort = scheduleOf(rule)?.cohort;
  if (cohort) await tryCohort(repository, { plan, cohort });
  for (const [index, action] of rule.actions.entries())
    if (action.extract) await tryExtract(repository, { plan, index, search: action.extract });
  const profiled = withProfile(plan);
  if (profiled.status === 'active' && !options.trusted && !(await wasDryRun(repository, ruleHash(profiled))))
    throw new ThroughlineError(
      'INVALID_REQUEST',
      'Activating a rule requires a dry run of this exact rule first (POST it to /api/automation/rules/$dry-run)',
      { expression: 'PlanDefinition.status' },
    );
  return profiled.id ? repository.update(profiled) : repository.create(profiled);
}

function withProfile(plan: PlanDefinition): PlanDefinition {
  const profiles = plan.meta?.profile ?? [];
  return {
    ...plan,
    meta: { ...plan.meta, profile: profiles.includes(RULE_PROFILE) ? profiles : [...profiles, RULE_PROFILE] },
    type: { coding: [{ system: PLAN_TYPE_SYSTEM, code: ECA_RULE }] },
  };
}

/**
 * A schedule's cohort tried as a search by whoever writes the rule: an unknown parameter or a
 * type they may not search is a 400 naming the cohort now, not a failed occurrence next Monday.
 */
async function tryCohort(
  repository: FhirRepository,
  { plan, cohort }: { plan: PlanDefinition; cohort: Cohort },
): Promise<void> {
  const trigger = plan.action?.[0]?.trigger?.findIndex((t) => t.type === 'periodic') ?? 0;
  const extension =
    plan.action?.[0]?.trigger?.[trigger]?.extension?.findIndex((e) => e.url === COHORT_URL) ?? 0;
  await trySearch(repository, {
    search: cohort,
    what: 'the cohort search',
    expression: `PlanDefinition.action[0].trigger[${trigger}].extension[${extension}].valueString`,
  });
}

/** An extract's criteria tried the same way: refused now, not at 06:00 tomorrow. */
async function tryExtract(
  repository: FhirRepository,
  { plan, index, search }: { plan: PlanDefinition; index: number; search: Cohort },
): Promise<void> {
  const dynamic = plan.action?.[0]?.action?.[index]?.dynamicValue?.findIndex((d) => d.path === 'criteria');
  await trySearch(repository, {
    search,
    what: "the extract's criteria",
    expression: `PlanDefinition.action[0].action[${index}].dynamicValue[${dynamic ?? 0}].expression.expression`,
  });
}

async function trySearch(
  repository: FhirRepository,
  { search, what, expression }: { search: Cohort; what: string; expression: string },
): Promise<void> {
  try {
    await repository.search({
      resourceType: search.resourceType,
      params: [...search.params, ['_count', '0']],
      strict: true,
    });
  } catch (error) {
    if (!isThroughlineError(error) || error.httpStatus >= 500) throw error;
    throw new ThroughlineError('INVALID_RESOURCE', `${what} is refused: ${error.message}`, { expression });
  }
}
