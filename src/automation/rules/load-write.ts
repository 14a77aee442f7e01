import type { Resource } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { RuleEvent } from './rule-model.ts';
import type { RuleScope } from './rule-fhirpath.ts';

/**
 * The write as the rule sees it: the version the event names (not the current one — a rule
 * judges the change that happened, even when later writes followed) and the version before —
 * none for a scheduled run, which is about a resource as its occurrence found it, not a change.
 */
export async function loadWrite(
  repository: FhirRepository,
  event: RuleEvent,
): Promise<RuleScope & { event: RuleEvent }> {
  const version = Number(event.versionId);
  const resource =
    event.action === 'delete'
      ? undefined
      : await versionOf(repository, { event, versionId: event.versionId });
  const previous =
    version > 1 && event.action !== 'scheduled'
      ? await versionOf(repository, { event, versionId: String(version - 1) })
      : undefined;
  return { resource, previous, event };
}

async function versionOf(
  repository: FhirRepository,
  { event, versionId }: { event: RuleEvent; versionId: string },
): Promise<Resource | undefined> {
  // A version erased since (privacy) or a delete marker has nothing to judge.
  return repository.vread(event.resourceType, event.id, versionId).catch(absentUnlessUnavailable);
}

/** The patient a write belongs to: the Patient itself, or its compartment. */
export function patientOf(event: {
  resourceType: string;
  id: string;
  compartment?: string | null;
}): string | undefined {
  if (event.resourceType === 'Patient') return `Patient/${event.id}`;
  return event.compartment ? `Patient/${event.compartment}` : undefined;
}
