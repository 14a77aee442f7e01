import type { Communication, CommunicationRequest, Task } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { EngagementDeps } from '../engine/engagement-deps.ts';
import { acceptedAttempt, markFailed, providerIdOf } from '../engine/record-attempt.ts';
import { completeRequest } from '../engine/request-state.ts';
import { ATTEMPT_KEY_SYSTEM, ENGAGEMENT_SYSTEM, PROVIDER_MESSAGE_SYSTEM } from '../model/outreach-codes.ts';
import type { DeliveryReport } from './record-delivery-status.ts';

type Stored<T> = T & { id: string };

/**
 * The attempt a report names (Twilio: `?attempt={Communication id}` in the StatusCallback URL;
 * WhatsApp: our key echoed as `biz_opaque_callback_data`), when it is an attempt that carries no
 * other provider message: one whose send answer was lost.
 */
export async function namedOpenAttempt(
  repository: FhirRepository,
  named: NonNullable<DeliveryReport['attempt']>,
): Promise<Stored<Communication> | undefined> {
  const attempt =
    'id' in named
      ? await repository.read<Stored<Communication>>('Communication', named.id).catch(absentUnlessUnavailable)
      : ((
          await repository.search({
            resourceType: 'Communication',
            params: [['identifier', `${ATTEMPT_KEY_SYSTEM}|${named.key}`]],
          })
        ).entry?.[0]?.resource as Stored<Communication> | undefined);
  const isAttempt = attempt?.identifier?.some((i) => i.system === ATTEMPT_KEY_SYSTEM);
  return isAttempt && !providerIdOf(attempt!) ? attempt : undefined;
}

/**
 * A report settles an attempt left open because its send answer was lost: the provider's id is
 * recorded with what it says. Taken (any state but failed): the message went, so its request is
 * completed — also one dead-lettered as "it may have been sent", whose alert is closed. Failed:
 * the attempt is not-done, and a request held for it is active again, so the next channel is
 * tried (the request was never completed: nothing went).
 */
export async function settleOpenAttempt(
  deps: EngagementDeps,
  open: { attempt: Stored<Communication>; report: DeliveryReport },
): Promise<void> {
  const { attempt, report } = open;
  const request = await requestOf(deps.repository, attempt);
  if (report.state === 'failed') {
    const reason = `provider reported failure${report.reason ? `: ${report.reason}` : ''}`;
    const identified = {
      ...attempt,
      identifier: [...(attempt.identifier ?? []), providerIdentifier(report)],
    };
    await markFailed(deps.repository, identified, reason);
    if (request?.status === 'on-hold') {
      await deps.repository.update({ ...request, status: 'active', statusReason: { text: reason } });
      await closeAlert(deps.repository, { request, note: `Settled by the provider: ${reason}` });
    }
    return;
  }
  const accepted = acceptedAttempt(attempt, {
    providerId: report.providerId,
    state: report.state,
    at: deps.clock.now(),
  });
  if (request?.status !== 'active' && request?.status !== 'on-hold')
    return void (await deps.repository.update(accepted));
  await completeRequest(deps.repository, request, accepted);
  if (request.status === 'on-hold')
    await closeAlert(deps.repository, { request, note: 'Settled by the provider: the message went' });
}

const providerIdentifier = (report: DeliveryReport) => ({
  system: PROVIDER_MESSAGE_SYSTEM,
  value: report.providerId,
});

async function requestOf(
  repository: FhirRepository,
  attempt: Communication,
): Promise<Stored<CommunicationRequest> | undefined> {
  const reference = attempt.basedOn?.[0]?.reference;
  if (!reference?.startsWith('CommunicationRequest/')) return undefined;
  return repository
    .read<Stored<CommunicationRequest>>(
      'CommunicationRequest',
      reference.slice('CommunicationRequest/'.length),
    )
    .catch(absentUnlessUnavailable);
}

/** The dead-letter alert of the request (`dead-letter.ts`), done: the provider answered after all. */
async function closeAlert(
  repository: FhirRepository,
  alert: { request: Stored<CommunicationRequest>; note: string },
): Promise<void> {
  const bundle = await repository.search({
    resourceType: 'Task',
    params: [['identifier', `${ENGAGEMENT_SYSTEM}/outreach-failed|${alert.request.id}`]],
  });
  const task = bundle.entry?.[0]?.resource as Stored<Task> | undefined;
  if (!task || task.status === 'completed' || task.status === 'cancelled') return;
  await repository.update({ ...task, status: 'completed', statusReason: { text: alert.note } });
}
