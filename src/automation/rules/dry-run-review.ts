import type { GuidanceResponse } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { DRY_RUN_SYSTEM } from './rule-profile.ts';

/** Whether a dry run of the rule with this hash was shown to someone (recorded by `recordDryRun`). */
export async function wasDryRun(repository: FhirRepository, hash: string): Promise<boolean> {
  const bundle = await repository.search({
    resourceType: 'GuidanceResponse',
    params: [
      ['identifier', `${DRY_RUN_SYSTEM}|${hash}`],
      ['_count', '1'],
    ],
  });
  return (bundle.entry ?? []).length > 0;
}

/**
 * Records that a dry run of the rule was returned to its caller (the store's history and audit
 * say who and when); activation looks for it. One record per rule content.
 */
export async function recordDryRun(
  repository: FhirRepository,
  review: { hash: string; rule?: string; summary: string; at: string },
): Promise<void> {
  const record: GuidanceResponse = {
    resourceType: 'GuidanceResponse',
    identifier: [{ system: DRY_RUN_SYSTEM, value: review.hash }],
    moduleUri: review.rule ?? 'PlanDefinition/unsaved',
    status: 'success',
    occurrenceDateTime: review.at,
    note: [{ text: review.summary }],
  };
  await repository.create(record, { ifNoneExist: `identifier=${DRY_RUN_SYSTEM}|${review.hash}` });
}
