import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import { parseMessage, readHeader, type MessageHeader } from '../../hl7v2/index.ts';
import {
  criteriaLockKeys,
  findBundleMatches,
  hasFullKey,
  messageBatchTransaction,
  messageKey,
  recordReceivedMany,
  type InboundMessage,
  type InboundHeader,
  type InboundOutcome,
} from '../../store/index.ts';
import { looseHeader } from './hl7v2-outcome.ts';
import { sourceOf, type MapContext } from './map-context.ts';
import { mappingFor } from './mappings.ts';
import { buildAcks, identityElements, messageProvenance, type BuiltAcks } from './message-entries.ts';
import { receiveHl7v2Message, type Hl7v2Deps, type ReceiveResult } from './receive-hl7v2-message.ts';

export interface Hl7v2Item {
  raw: Buffer;
  transport: { kind: string; remote?: string };
}

/** A message parsed and mapped, ready to be written with others. */
interface Prepared {
  index: number;
  raw: Buffer;
  inbound: InboundHeader;
  header: MessageHeader;
  context: MapContext;
  entries: BundleEntry[];
}

/**
 * Group commit: messages that arrived together (from different connections) are stored,
 * mapped and written in ONE database transaction — a dozen round trips for all of them
 * instead of a dozen each, which is what bounds throughput. Each message still gets its own
 * message-store row, Provenance and ACK, and the rules of the one-at-a-time path hold: nothing
 * is acknowledged before it is committed. Anything the batch cannot take as it is — a message
 * that does not parse or map, a resend, two messages for the same record, a write the store
 * refuses — goes through `receiveHl7v2Message` after the batch, in arrival order, and gets
 * exactly the answer it would have had alone.
 */
export async function receiveBatch(
  deps: Hl7v2Deps,
  items: Hl7v2Item[],
): Promise<PromiseSettledResult<ReceiveResult>[]> {
  const settled = await receiveBatchDeferring(deps, items, { defer: false });
  return settled as PromiseSettledResult<ReceiveResult>[];
}

/**
 * As `receiveBatch`; with `defer`, a message that must wait for an earlier one of the batch
 * (the same record, or the same key) is not written one at a time afterwards but answered
 * `undefined`, for the caller to put first in its next batch: a feed naming one patient in
 * quick succession then costs one more group commit, not three transactions of its own.
 */
export async function receiveBatchDeferring(
  deps: Hl7v2Deps,
  items: Hl7v2Item[],
  options: { defer: boolean },
): Promise<(PromiseSettledResult<ReceiveResult> | undefined)[]> {
  const prepared = items.map(prepare);
  const together = independent(prepared);
  const deferred = new Set<number>();
  if (options.defer) {
    const chosen = new Set(together.map((message) => message.index));
    for (const message of prepared) if (message && !chosen.has(message.index)) deferred.add(message.index);
  }
  const results = new Map<number, PromiseSettledResult<ReceiveResult>>();
  if (together.length > 0) {
    try {
      for (const [index, value] of await commitTogether(deps, together))
        results.set(index, { status: 'fulfilled', value });
    } catch (error) {
      // A refused write (bad data) is routine here: the one-at-a-time path answers it with its AE.
      if (isThroughlineError(error)) deps.logger.debug({ err: error }, 'group commit refused; one at a time');
      else deps.logger.warn({ err: error }, 'group commit failed; the messages go one at a time');
    }
  }
  // Each caller gets its own outcome: one message's failure here does not fail the others.
  for (const [index, item] of items.entries()) {
    if (results.has(index) || deferred.has(index)) continue;
    const [settled] = await Promise.allSettled([receiveHl7v2Message(deps, item.raw, item.transport)]);
    results.set(index, settled!);
  }
  return items.map((_, index) => results.get(index));
}

/** Parse and map (pure). A message that fails here is answered by the one-at-a-time path. */
function prepare(item: Hl7v2Item, index: number): Prepared | undefined {
  try {
    const message = parseMessage(item.raw);
    const header = readHeader(message);
    const inbound = {
      ...looseHeader(item.raw),
      transport: item.transport.kind,
      remoteAddress: item.transport.remote,
    };
    // Without MSH-3, MSH-4 and MSH-10 the unique key index cannot tell a resend: one at a time.
    if (!hasFullKey(inbound)) return undefined;
    const context: MapContext = { message, header, source: sourceOf(header) };
    const entries = mappingFor(header.messageType, header.triggerEvent)(context);
    return { index, raw: item.raw, inbound, header, context, entries };
  } catch {
    return undefined;
  }
}

/**
 * The messages that can share a transaction: distinct keys, and no conditional criteria in
 * common (two updates of one record must apply in arrival order, one after the other).
 */
function independent(prepared: (Prepared | undefined)[]): Prepared[] {
  const keys = new Set<string>();
  const criteria = new Set<string>();
  const chosen: Prepared[] = [];
  for (const message of prepared) {
    if (!message) continue;
    const key = messageKey(message.inbound);
    const own = message.entries.map(criteriaOf).filter((each): each is string => Boolean(each));
    if (keys.has(key) || own.some((each) => criteria.has(each))) continue;
    keys.add(key);
    for (const each of own) criteria.add(each);
    chosen.push(message);
  }
  return chosen;
}

function criteriaOf(entry: BundleEntry): string | undefined {
  const request = entry.request;
  if (request?.method === 'POST')
    return request.ifNoneExist ? `${request.url}?${request.ifNoneExist}` : undefined;
  return request?.url;
}

/** One transaction: message rows, every message's resources and Provenance, audit, ACKs. */
async function commitTogether(deps: Hl7v2Deps, batch: Prepared[]): Promise<Map<number, ReceiveResult>> {
  return deps.db.transaction(async (tx) => {
    const entries = batch.flatMap((message) => message.entries);
    // The Bundle's criteria locks come with the message rows, and the search of its identifier
    // criteria after them in the same round trip: two fewer for processBundle.
    const [recorded, matches] = await Promise.all([
      recordReceivedMany(
        tx,
        batch.map((message) => ({ header: message.inbound, raw: message.raw })),
        { criteriaLockKeys: criteriaLockKeys(entries) },
      ),
      findBundleMatches(tx, entries),
    ]);
    // A resend or a conflicting control id is the one-at-a-time path's business.
    const fresh = batch.filter((_, at) => recorded[at]);
    const records = recorded.filter((record): record is InboundMessage => Boolean(record));
    if (fresh.length === 0) return new Map();
    const { bundle, ranges } = combinedBundle(deps, fresh, records);
    // AA: they are sent only if this transaction commits (anything else goes one at a time).
    const acks = fresh.map((message, at) =>
      buildAcks(deps, { storedId: records[at]!.id, header: message.header }, { code: 'AA' }),
    );
    // Through the checkpoint as any HL7 write; the transaction carries what only this batch
    // asks: its criteria are locked, and each message's outcome is written in the statement
    // that writes its resources.
    const batchTx = messageBatchTransaction(tx, {
      criteriaLocked: true,
      matches,
      outcomesOf: (responses) =>
        fresh.map((_, at) =>
          outcomeOf({ id: records[at]!.id, acks: acks[at]!, range: ranges[at]! }, responses),
        ),
    });
    await deps.repository.processBundle(bundle, { transaction: batchTx, keepElements: identityElements });
    return new Map(
      fresh.map((message, at) => [
        message.index,
        { ...acks[at]!, status: 'processed' as const, messageId: records[at]!.id },
      ]),
    );
  });
}

function combinedBundle(
  deps: Hl7v2Deps,
  fresh: Prepared[],
  records: { id: string }[],
): { bundle: Bundle; ranges: [number, number][] } {
  const all: BundleEntry[] = [];
  const ranges: [number, number][] = [];
  for (const [at, message] of fresh.entries()) {
    const own = message.entries;
    ranges.push([all.length, own.length + 1]);
    all.push(
      ...own,
      messageProvenance(message.context, { entries: own, messageId: records[at]!.id, now: deps.clock.now() }),
    );
  }
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: all }, ranges };
}

/** One message of a combined write. */
interface WrittenMessage {
  /** Its id in the message store. */
  id: string;
  acks: BuiltAcks;
  /** Where its entries (and Provenance) sit in the combined Bundle: first index, count. */
  range: [number, number];
}

function outcomeOf(
  { id, acks, range: [start, length] }: WrittenMessage,
  responses: (BundleEntry | undefined)[],
): InboundOutcome {
  const resources = responses
    .slice(start, start + length)
    .map((entry) => entry?.response?.location?.replace(/\/_history\/.*$/, ''))
    .filter((ref): ref is string => Boolean(ref));
  return { id, status: 'processed', ack: acks.ack, applicationAck: acks.applicationAck, resources };
}
