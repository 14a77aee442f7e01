import { randomUUID } from 'node:crypto';
import type { Hl7Destination } from '../../kernel/connectors-config.ts';
import {
  advanceCursor,
  leaseSubscription,
  readEventsAfterCursor,
  releaseSubscription,
  type ChangeEvent,
  type Job,
  type JobFollowUp,
  type JobHandler,
} from '../../store/index.ts';
import { destinationSubscriber, HL7_OUT_QUEUE, type Hl7OutDeps } from './hl7-out-deps.ts';
import { sendPlanned, type Connection } from './send-planned.ts';
import { planMessages } from './plan-messages.ts';

interface Hl7OutPayload {
  destination: string;
  failures?: number;
  retryAt?: string;
}

/** Events per run; a run that found any looks again at once (see deliver-notifications.ts). */
const BATCH = 100;
const IDLE_RECHECK_MS = 60_000;
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
  if (payload.retryAt && payload.retryAt > now.toISOString()) return { runAt: payload.retryAt };
  const destination = deps.destinations.find((each) => each.name === payload.destination);
  if (!destination) return;
  const subscriber = destinationSubscriber(destination.name);
  const holder = randomUUID();
  if (!(await leaseSubscription(deps.db, subscriber, { holder, seconds: 120 })))
    return { runAt: later(now, 1000) };
  const connection: Connection = {};
  try {
    const events = await readEventsAfterCursor(deps.db, subscriber, BATCH);
    const failure = await deliverInOrder(deps, { destination, subscriber, events, connection });
    if (failure) return retryLater(deps, payload);
    return {
      runAt: events.length > 0 ? now.toISOString() : later(now, IDLE_RECHECK_MS),
      payload: { destination: destination.name },
    };
  } finally {
    connection.session?.close();
    await releaseSubscription(deps.db, subscriber, holder);
  }
}

interface Run {
  destination: Hl7Destination;
  subscriber: string;
  events: ChangeEvent[];
  connection: Connection;
}

/** Sends what each event calls for, moving the cursor past it; the reason of the first failure. */
async function deliverInOrder(deps: Hl7OutDeps, run: Run): Promise<string | undefined> {
  let passed: ChangeEvent | undefined;
  for (const event of run.events) {
    const planned = (await planMessages(deps, event)).filter((message) =>
      run.destination.events.includes(message.type),
    );
    for (const message of planned) {
      const failure = await sendPlanned(deps, {
        destination: run.destination,
        message,
        connection: run.connection,
      });
      if (failure) {
        if (passed) await advanceCursor(deps.db, run.subscriber, passed);
        return failure;
      }
    }
    passed = event;
    if (planned.length > 0) await advanceCursor(deps.db, run.subscriber, event);
  }
  if (passed) await advanceCursor(deps.db, run.subscriber, passed);
  return undefined;
}

function retryLater(deps: Hl7OutDeps, payload: Hl7OutPayload): JobFollowUp {
  const failures = (payload.failures ?? 0) + 1;
  const delay = Math.min(deps.retryBaseSeconds * 1000 * 2 ** (failures - 1), MAX_BACKOFF_MS);
  const retryAt = later(deps.clock.now(), delay);
  return { runAt: retryAt, payload: { destination: payload.destination, failures, retryAt } };
}

const later = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();
