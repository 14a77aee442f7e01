import { ThroughlineError } from '../../kernel/errors.ts';
import { getOutboundMessage, type OutboundMessage } from '../../store/index.ts';
import { withDestination } from './destination-lease.ts';
import type { Hl7OutDeps } from './hl7-out-deps.ts';
import { sendKept } from './send-planned.ts';

/**
 * An administrator's resend of a kept outbound message: the same bytes and MSH-10 (a receiver
 * that already has it can drop it), under the destination's lease, the answer recorded as one
 * more attempt. Idempotent by precondition: the caller names the attempts it saw (`If-Match`),
 * and a resend that finds more (a double click, a retried request, someone else's resend)
 * sends nothing and says so (412).
 */
export async function resendOutbound(
  deps: Hl7OutDeps,
  request: { id: string; attempts: number },
): Promise<OutboundMessage> {
  const seen = await current(deps, request);
  const destination = deps.destinations.find((each) => each.name === seen.destination);
  if (!destination)
    throw new ThroughlineError(
      'CONFLICT',
      `destination "${seen.destination}" is not in HL7_DESTINATIONS any more`,
    );
  const sent = await withDestination(deps, destination, async (connection) => {
    // Checked again under the lease: only one resend of what the caller saw gets through.
    const kept = await current(deps, request);
    return sendKept(deps, { destination, kept, connection });
  });
  if ('busy' in sent)
    throw new ThroughlineError('CONFLICT', `destination "${destination.name}" is ${sent.busy}`);
  return (await getOutboundMessage(deps.db, request.id))!;
}

async function current(
  deps: Hl7OutDeps,
  request: { id: string; attempts: number },
): Promise<OutboundMessage> {
  const message = await getOutboundMessage(deps.db, request.id);
  if (!message) throw new ThroughlineError('NOT_FOUND', `no outbound message ${request.id}`);
  if (message.attempts !== request.attempts)
    throw new ThroughlineError(
      'PRECONDITION_FAILED',
      `message ${request.id} has had ${message.attempts} attempts, not ${request.attempts}: read it again before resending`,
      { expression: 'If-Match' },
    );
  return message;
}
