import type { Communication, CommunicationRequest } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { withoutDeferral } from './deferral.ts';
import { updateEntry } from '../../fhir/bundle-entries.ts';
import { groupedWrites } from './grouped-writes.ts';

export type RequestEnd = 'completed' | 'revoked' | 'on-hold';

/**
 * Ends (or holds) a request with the reason: `completed` when a message went out, `revoked` when
 * it must not go (cancelled appointment, no permitted channel, deceased), `on-hold` when every
 * channel failed (dead-lettered: a coordinator fixes the cause and sets it active again).
 */
export async function endRequest(
  repository: FhirRepository,
  request: CommunicationRequest & { id: string },
  end: { status: RequestEnd; reason?: string },
): Promise<void> {
  const ended = (current: CommunicationRequest) => endedRequest(current, end);
  // The version read at the start of the delivery: no second read unless someone wrote since
  // (a STOP revoking it, a reschedule) — then the current one decides.
  try {
    await repository.update(ended(request), { ifMatch: request.meta?.versionId });
  } catch (error) {
    if (!isThroughlineError(error) || error.code !== 'VERSION_CONFLICT') throw error;
    const current = await repository.read<CommunicationRequest>('CommunicationRequest', request.id);
    if (current.status === 'active')
      await repository.update(ended(current), { ifMatch: current.meta?.versionId });
  }
}

function endedRequest<T extends CommunicationRequest>(
  current: T,
  end: { status: RequestEnd; reason?: string },
): T {
  return {
    ...withoutDeferral(current),
    status: end.status,
    ...(end.reason ? { statusReason: { text: end.reason.slice(0, 1000) } } : {}),
  };
}

/**
 * A message went out: the attempt as the provider accepted it and the request completed, in
 * one transaction (shared with other deliveries finishing at the same time, `grouped-writes.ts`),
 * so neither is ever recorded without the other. When someone wrote the request since it was
 * read, the attempt is recorded on its own and `endRequest` lets the current version decide.
 */
export async function completeRequest(
  repository: FhirRepository,
  request: CommunicationRequest & { id: string },
  accepted?: Communication & { id: string },
): Promise<void> {
  const completed = endedRequest(request, { status: 'completed' });
  const entries = [
    ...(accepted ? [updateEntry(accepted)] : []),
    updateEntry(completed, request.meta?.versionId),
  ];
  try {
    await groupedWrites(repository)(entries);
  } catch (error) {
    if (!isThroughlineError(error) || error.code !== 'VERSION_CONFLICT') throw error;
    if (accepted) await repository.update(accepted);
    await endRequest(repository, request, { status: 'completed' });
  }
}
