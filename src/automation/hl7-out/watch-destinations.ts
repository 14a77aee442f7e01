import {
  batchSubscriber,
  scheduleKeyedJob,
  startSubscriptionAtEnd,
  type ChangeEvent,
  type EventHandler,
} from '../../store/index.ts';
import { destinationSubscriber, HL7_OUT_QUEUE, type Hl7OutDeps } from './hl7-out-deps.ts';

/** The types whose writes can call for an outbound message. */
const REPORTED_TYPES = new Set(['Patient', 'DiagnosticReport']);

/**
 * The change-event subscriber of outbound HL7 v2: wakes each destination's delivery job when a
 * Patient or DiagnosticReport was written. A destination seen for the first time starts at the
 * newest event — it is told what changes from now on, not the database's whole history.
 */
export function watchDestinations(deps: Hl7OutDeps): EventHandler {
  let positioned = false;
  const onEvents = async (events: ChangeEvent[]): Promise<void> => {
    if (!positioned) {
      for (const destination of deps.destinations)
        await startSubscriptionAtEnd(deps.db, destinationSubscriber(destination.name));
      positioned = true;
    }
    if (!events.some((event) => REPORTED_TYPES.has(event.resourceType))) return;
    const runAt = deps.clock.now().toISOString();
    for (const { name } of deps.destinations)
      await scheduleKeyedJob(deps.db, {
        queue: HL7_OUT_QUEUE,
        key: `hl7-out/${name}`,
        payload: { destination: name },
        runAt,
      });
  };
  return {
    ...batchSubscriber({ subscriber: 'hl7-out', batchSize: 500, handleBatch: onEvents }),
    // Every type until the destinations are positioned (on the first batch, as before); then only
    // the reported types, and none without destinations.
    resourceTypes: () => (!positioned ? undefined : deps.destinations.length > 0 ? [...REPORTED_TYPES] : []),
  };
}
