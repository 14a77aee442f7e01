import type { TriggerDefinition } from '@medplum/fhirtypes';
import type { Cohort, Trigger } from './rule-model.ts';
import { COHORT_URL, SCHEDULE_URL } from './rule-profile.ts';
import { scheduleProblem } from './rule-schedule.ts';
import { checkedExpression, type At } from './parse-issues.ts';
import { searchCriteriaOf } from '../../fhir/search-url.ts';

/**
 * A `periodic` trigger: the RRULE (extension `automation-schedule` on `timingTiming`), the cohort
 * each occurrence runs over (extension `automation-cohort`, a search `Type?params`), and an
 * optional condition over each member.
 */
export function parsePeriodic(
  trigger: TriggerDefinition,
  at: At,
  { cohortOptional = false }: { cohortOptional?: boolean } = {},
): Trigger {
  const rrule = trigger.timingTiming?.extension?.find((e) => e.url === SCHEDULE_URL)?.valueString?.trim();
  const problem = rrule
    ? scheduleProblem(rrule)
    : `a periodic trigger needs timingTiming.extension(${SCHEDULE_URL})`;
  if (problem) at.issues.add(`${at.path}.timingTiming`, problem);
  const criteria = trigger.extension?.find((e) => e.url === COHORT_URL)?.valueString;
  const cohort = cohortOf(criteria);
  if (!cohort && (criteria !== undefined || !cohortOptional))
    at.issues.add(
      `${at.path}.extension`,
      `a periodic trigger names its cohort: extension(${COHORT_URL}) = a search "Type?params"`,
    );
  const expression = trigger.condition
    ? checkedExpression(trigger.condition.expression, {
        ...at,
        path: `${at.path}.condition.expression`,
        type: cohort?.resourceType,
      })
    : undefined;
  return {
    resourceType: cohort?.resourceType ?? '',
    on: ['scheduled'],
    ...(expression ? { expression } : {}),
    ...(rrule && !problem && (cohort || cohortOptional)
      ? { schedule: { rrule, ...(cohort ? { cohort } : {}) } }
      : {}),
  };
}

/** `Type?params` as a search; undefined when it does not read so. */
export function cohortOf(criteria: string | undefined): Cohort | undefined {
  return searchCriteriaOf(criteria);
}
