import {
  keepOutboundMessage,
  recordOutboundAttempt,
  type OutboundMessage,
  type OutboundStatus,
} from '../../store/index.ts';
import type { Hl7Destination } from '../../kernel/connectors-config.ts';
import { isDatabaseUnavailable } from '../../kernel/errors.ts';
import type { Hl7OutDeps } from './hl7-out-deps.ts';
import { openMllpSession, type MllpSession } from './mllp-session.ts';
import { controlIdOf, type PlannedMessage } from './plan-messages.ts';

/** The run's connection to its destination, opened at the first message that needs it. */
export interface Connection {
  session?: MllpSession;
}

/** A message's answer; `failure` when none came (still pending). */
export interface SendOutcome {
  status: OutboundStatus;
  controlId: string;
  failure?: string;
}

/**
 * One message: kept in the message store first (a replay finds it there, already answered, and
 * sends nothing), then sent and its ACK recorded. AA/CA accepted; AE and AR are answers too —
 * recorded, and the feed goes on (a resend would get the same answer). The answer (status and
 * MSH-10), or why there was none (the message stays pending and is sent again, byte for byte).
 */
export async function sendPlanned(
  deps: Hl7OutDeps,
  work: { destination: Hl7Destination; message: PlannedMessage; connection: Connection },
): Promise<SendOutcome> {
  const { destination, message, connection } = work;
  const key = `${message.type}|${message.resource}`;
  const controlId = controlIdOf(destination.name, key);
  const raw = message.build({ destination: destination.name, controlId, at: deps.clock.now() });
  const [messageType, triggerEvent] = message.type.split('^') as [string, string];
  const kept = await keepOutboundMessage(deps.db, {
    destination: destination.name,
    key,
    controlId,
    messageType,
    triggerEvent,
    resource: message.resource,
    raw: Buffer.from(raw, 'utf8'),
  });
  if (kept.status !== 'pending') return { status: kept.status, controlId };
  return sendKept(deps, { destination, kept, connection });
}

/**
 * A kept message sent as it was kept (its bytes and MSH-10), and the answer recorded as an
 * attempt: the feed's first try, a retry, or an administrator's resend.
 */
export async function sendKept(
  deps: Hl7OutDeps,
  work: { destination: Hl7Destination; kept: OutboundMessage; connection: Connection },
): Promise<SendOutcome> {
  const { destination, kept, connection } = work;
  const controlId = kept.controlId;
  try {
    connection.session ??= await openMllpSession({ ...destination, timeoutMs: deps.ackTimeoutMs });
    const ack = await connection.session.send(kept.raw.toString('utf8'));
    const code = /(?:^|\r)MSA\|(\w{2})/.exec(ack.toString('utf8'))?.[1] ?? '';
    const status = statusOf(code);
    await recordOutboundAttempt(deps.db, kept.id, {
      status,
      ack,
      ...(code === 'AA' || code === 'CA' ? {} : { error: `MSA-1 ${code || 'missing'}` }),
    });
    return { status, controlId };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    connection.session?.close();
    connection.session = undefined;
    const reason = `${destination.host}:${destination.port}: ${(error as Error).message}`;
    await recordOutboundAttempt(deps.db, kept.id, { status: 'pending', error: reason });
    return { status: 'pending', controlId, failure: reason };
  }
}

function statusOf(code: string): OutboundStatus {
  if (code === 'AA' || code === 'CA') return 'accepted';
  if (code === 'AR' || code === 'CR') return 'rejected';
  return 'error';
}
