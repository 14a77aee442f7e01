import type { Patient, Task } from '@medplum/fhirtypes';
import { isDatabaseUnavailable } from '../../kernel/errors.ts';
import type { ChangeEvent, EventHandler, FhirRepository } from '../../store/index.ts';
import { mergePatients } from '../merge/merge-patients.ts';

const MERGE_REQUEST = 'merge-request';

/**
 * Carries out merge requests recorded by other sources (HL7 ADT A40 → a `Task` with the prior
 * patient's identifier): the prior record is merged into the Task's focus, and the Task is
 * completed — or failed with the reason (prior record unknown, already merged), so a person
 * can look at it. Requests recorded before this service existed are picked up the same way.
 */
export function carryOutMergeRequests(repository: FhirRepository): EventHandler {
  return {
    subscriber: 'identity-merge-requests',
    resourceTypes: () => ['Task'],
    async handle(event: ChangeEvent) {
      if (event.resourceType !== 'Task' || event.action !== 'create') return;
      const task = await repository.read<Task>('Task', event.id);
      if (task.status !== 'requested' || !task.code?.coding?.some((coding) => coding.code === MERGE_REQUEST))
        return;
      const { status, reason } = await carryOut(repository, task);
      await repository.update({
        ...(await repository.read<Task>('Task', event.id)),
        status,
        statusReason: { text: reason },
      });
    },
  };
}

/** Merges the prior record into the Task's focus: the Task's new status, and why. */
async function carryOut(
  repository: FhirRepository,
  task: Task,
): Promise<{ status: Task['status']; reason: string }> {
  const prior = task.input?.find((input) => input.type?.text === 'prior-identifier')?.valueIdentifier;
  const targetId = task.focus?.reference?.replace(/^Patient\//, '');
  const found = prior?.value
    ? await repository.search({
        resourceType: 'Patient',
        params: [['identifier', `${prior.system ?? ''}|${prior.value}`]],
      })
    : undefined;
  const source = (found?.entry ?? [])
    .map((entry) => entry.resource as Patient)
    .find((patient) => patient.id !== targetId);
  try {
    if (!source || !targetId)
      throw new Error(`no patient with the prior identifier ${prior?.system ?? ''}|${prior?.value ?? '?'}`);
    await mergePatients(repository, {
      sourceId: source.id as string,
      targetId,
      performedBy: 'HL7 ADT A40',
      reason: `Task/${task.id}`,
    });
    return { status: 'completed', reason: `merged Patient/${source.id} into Patient/${targetId}` };
  } catch (error) {
    // The database away is not a failed merge: the request is carried out when it is back.
    if (isDatabaseUnavailable(error)) throw error;
    return { status: 'failed', reason: (error as Error).message };
  }
}
