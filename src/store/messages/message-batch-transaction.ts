import type { BundleEntry } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';
import type { StatementParts } from '../sql/statement-parts.ts';
import { finishParts, type InboundOutcome } from './inbound-message-batch.ts';

/**
 * The HL7 v2 group commit (`ingest/hl7v2/receive-batch.ts`) writes a transaction Bundle inside
 * its own database transaction and asks two things of it that no other caller needs, so they
 * are not options of the store port (`BulkOptions`) but marks on that transaction, read only
 * by the store's `processBundle`. The Bundle still goes through the access checkpoint: it
 * passes a caller's transaction on unchanged, and only to system principals.
 */
export interface MessageBatchWrite {
  /** The Bundle's criteria locks were taken in an earlier statement (`recordReceivedMany`). */
  criteriaLocked: boolean;
  /** Its identifier criteria's matches, searched after those locks (`findBundleMatches`). */
  matches?: Map<string, string[]>;
  /**
   * Each message's outcome, from the Bundle's entry responses (`undefined` for GET entries):
   * written in the statement that writes the messages' resources, one round trip fewer.
   */
  outcomesOf: (responses: (BundleEntry | undefined)[]) => InboundOutcome[];
}

/** What `processBundle` adds to its write when it runs in a marked transaction. */
export interface BatchExtras {
  criteriaLocked: boolean;
  matches?: Map<string, string[]>;
  alsoWrite: (responses: (BundleEntry | undefined)[]) => (parts: StatementParts) => void;
}

const marks = new WeakMap<SqlExecutor, MessageBatchWrite>();

/**
 * `tx`, marked for one Bundle of a message batch: pass the result as `BulkOptions.transaction`.
 * A new handle (each statement goes to `tx`), so the mark never outlives the batch's Bundle.
 */
export function messageBatchTransaction(tx: SqlExecutor, write: MessageBatchWrite): SqlExecutor {
  const handle: SqlExecutor = {
    query: (sql, params, options) => tx.query(sql, params, options),
    exec: (sql) => tx.exec(sql),
  };
  marks.set(handle, write);
  return handle;
}

/** Store-internal: the extras of a transaction marked by `messageBatchTransaction`, if it is one. */
export function batchExtrasOf(tx: SqlExecutor | undefined): BatchExtras | undefined {
  const write = tx && marks.get(tx);
  if (!write) return undefined;
  return {
    criteriaLocked: write.criteriaLocked,
    matches: write.matches,
    alsoWrite: (responses) => finishParts(write.outcomesOf(responses)),
  };
}
