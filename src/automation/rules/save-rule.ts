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
  const cohort = scheduleOf(parseRule(plan))?.cohort;
  if (cohort) await tryCohort(repository, { plan, cohort });
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
  try {
    await repository.search({
      resourceType: cohort.resourceType,
      params: [...cohort.params, ['_count', '0']],
      strict: true,
    });
  } catch (error) {
    if (!isThroughlineError(error) || error.httpStatus >= 500) throw error;
    throw new ThroughlineError('INVALID_RESOURCE', `the cohort search is refused: ${error.message}`, {
      expression: `PlanDefinition.action[0].trigger[${trigger}].extension[${extension}].valueString`,
    });
  }
}
