import type { Hl7Destination } from '../../kernel/connectors-config.ts';
import type { ChangeEvent, Job, JobFollowUp, JobHandler } from '../../store/index.ts';
import { deliverInOrder, later, runOnCursor } from '../cursor-delivery.ts';
import { destinationSubscriber, HL7_OUT_QUEUE, type Hl7OutDeps } from './hl7-out-deps.ts';
import { sendPlanned, type Connection } from './send-planned.ts';
import { planMessages } from './plan-messages.ts';

interface Hl7OutPayload {
  destination: string;
  failures?: number;
  retryAt?: string;
}

/** Events per run: an HL7 message waits for its ACK, so fewer than a notification run's. */
const BATCH = 100;
const MAX_BACKOFF_MS = 300_000;

/**
 * The delivery job of one destination (one keyed job each): the change events after the
 * destination's own cursor, in commit order; each message kept in the message store, sent, its
 * ACK awaited and recorded, then the cursor moves on. No ACK (refused, timed out, cut) stops
 * the run there and retries later with backoff — an HL7 feed keeps its order, so nothing
 * behind it goes first.
 */
export function deliverHl7(deps: Hl7OutDeps): JobHandler {
  return {
    queue: HL7_OUT_QUEUE,
    concurrency: 4,
    handle: (job: Job) => deliverPending(deps, job.payload as Hl7OutPayload),
  };
}

async function deliverPending(deps: Hl7OutDeps, payload: Hl7OutPayload): Promise<JobFollowUp | void> {
  const now = deps.clock.now();
  const destination = deps.destinations.find((each) => each.name === payload.destination);
  if (!destination) return;
  const subscriber = destinationSubscriber(destination.name);
  const connection: Connection = {};
  try {
    const outcome = await runOnCursor({
      db: deps.db,
      subscriber,
      batch: BATCH,
      jobLeaseSeconds: deps.jobLeaseSeconds,
      now,
      notBefore: payload.retryAt,
      deliver: (events, lease) =>
        deliverInOrder({ db: deps.db, subscriber, events, lease }, (event) =>
          sendForEvent(deps, { destination, event, connection }),
        ),
    });
    if ('failure' in outcome) return retryLater(deps, payload);
    return { runAt: outcome.runAt, payload: { destination: destination.name } };
  } finally {
    connection.session?.close();
  }
}

/** The messages an event calls for at this destination, sent in order; the first failure stops them. */
async function sendForEvent(
  deps: Hl7OutDeps,
  work: { destination: Hl7Destination; event: ChangeEvent; connection: Connection },
): Promise<{ failure?: string }> {
  const planned = (await planMessages(deps, work.event)).filter((message) =>
    work.destination.events.includes(message.type),
  );
  for (const message of planned) {
    const { failure } = await sendPlanned(deps, {
      destination: work.destination,
      message,
      connection: work.connection,
    });
    if (failure) return { failure };
  }
  return {};
}

function retryLater(deps: Hl7OutDeps, payload: Hl7OutPayload): JobFollowUp {
  const failures = (payload.failures ?? 0) + 1;
  const delay = Math.min(deps.retryBaseSeconds * 1000 * 2 ** (failures - 1), MAX_BACKOFF_MS);
  const retryAt = later(deps.clock.now(), delay);
  return { runAt: retryAt, payload: { destination: payload.destination, failures, retryAt } };
}
