import { buildAck, hl7Timestamp, Hl7ErrorCodes } from '../../hl7v2/index.ts';
import { finishInboundMessage, recordInboundMessage } from '../../store/index.ts';
import { looseHeader } from './hl7v2-outcome.ts';
import type { Hl7v2Deps } from './receive-hl7v2-message.ts';

/**
 * A frame over the size limit is refused (AR) without being buffered whole — but not lost from
 * sight: its first bytes are kept in the message store as a rejected message, with the reason,
 * so an integration engineer can see what was sent and by whom.
 */
export async function rejectOversizedFrame(
  deps: Hl7v2Deps,
  frame: { head: Buffer; bytes: number },
  transport: { kind: string; remote?: string },
): Promise<Buffer> {
  const header = looseHeader(frame.head);
  const stored = await deps.db.transaction((tx) =>
    recordInboundMessage(
      tx,
      { ...header, transport: transport.kind, remoteAddress: transport.remote },
      frame.head,
    ),
  );
  const reason = `Frame of ${frame.bytes} bytes exceeds the size limit; not processed (first ${frame.head.length} bytes kept as message #${stored.message.id})`;
  const ack = Buffer.from(
    buildAck({
      code: 'AR',
      controlId: `TLX${Date.now()}`,
      timestamp: hl7Timestamp(deps.clock.now()),
      // What the head says of the request (sender, MSH-10), so MSA-2 names it when it can.
      request: header,
      error: { code: Hl7ErrorCodes.APPLICATION_INTERNAL_ERROR, message: reason },
    }),
    'utf8',
  );
  await finishInboundMessage(deps.db, stored.message.id, { status: 'rejected', ack, error: reason });
  return ack;
}
