import type { CommunicationRequest, Task } from '@medplum/fhirtypes';
import { WORKLIST_SYSTEM } from '../../fhir/worklist-system.ts';
import { ENGAGEMENT_SYSTEM } from '../model/outreach-codes.ts';
import type { EngagementDeps } from './engagement-deps.ts';
import { endRequest } from './request-state.ts';

/** The worklist of outreach no channel could deliver (the server lists it with the journey's). */
export const OUTREACH_FAILURES_WORKLIST = 'outreach-failures';

/**
 * Every channel failed: the request goes on hold with the reasons and a Task on the
 * outreach-failures worklist alerts a coordinator (fix the number, then set the request active
 * again). One Task per request, however often this runs.
 */
export async function deadLetter(
  deps: EngagementDeps,
  failure: { request: CommunicationRequest & { id: string }; patientId: string; reason: string },
): Promise<void> {
  const { request, patientId, reason } = failure;
  await endRequest(deps.repository, request, { status: 'on-hold', reason });
  const task: Task = {
    resourceType: 'Task',
    identifier: [{ system: `${ENGAGEMENT_SYSTEM}/outreach-failed`, value: request.id }],
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: {
      coding: [
        { system: ENGAGEMENT_SYSTEM, code: 'outreach-failed', display: 'Outreach could not be delivered' },
      ],
    },
    description: `Outreach could not be delivered: ${reason}`.slice(0, 1000),
    focus: { reference: `CommunicationRequest/${request.id}` },
    for: { reference: `Patient/${patientId}` },
    authoredOn: deps.clock.now().toISOString(),
    performerType: [{ coding: [{ system: WORKLIST_SYSTEM, code: OUTREACH_FAILURES_WORKLIST }] }],
  };
  await deps.repository.create(task, {
    ifNoneExist: `identifier=${ENGAGEMENT_SYSTEM}/outreach-failed|${request.id}`,
  });
}
