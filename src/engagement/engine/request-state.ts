import type { CommunicationRequest } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';

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
  const ended = (current: CommunicationRequest) => ({
    ...current,
    status: end.status,
    ...(end.reason ? { statusReason: { text: end.reason.slice(0, 1000) } } : {}),
  });
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
