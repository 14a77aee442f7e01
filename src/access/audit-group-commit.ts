import { isThroughlineError } from '../kernel/errors.ts';
import type { SqlExecutor } from '../store/index.ts';

/** The columns of one audit row as `recordAudit` writes them, in this order. */
const COLUMNS =
  'request_id, principal, principal_kind, action, resource_type, resource_id, patients, outcome, detail, remote_address';
const WIDTH = 10;
/** Rows per statement: 10 parameters each, far below PostgreSQL's 65,535. */
const MAX_ROWS = 500;

/** The INSERT of `rows` audit rows, one VALUES tuple each; the chain trigger links them in this order. */
export function insertAuditRowsSql(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, row) => {
    const params = Array.from({ length: WIDTH }, (_, column) => `$${row * WIDTH + column + 1}`);
    return `(${params.join(', ')})`;
  });
  return `INSERT INTO audit_log (${COLUMNS}) VALUES ${tuples.join(', ')}`;
}

interface Pending {
  values: unknown[];
  resolve(): void;
  reject(error: unknown): void;
}

/** Appends audit rows; resolves once the row is committed. */
export type AuditAppender = (values: unknown[]) => Promise<void>;

/**
 * Group commit for the hash-chained audit log. Every append takes the one chain-head row lock
 * and holds it through its commit, so appends one transaction each are as many as the disk
 * can flush one after another. Here appends that arrive while a write is in flight are queued
 * and written together by the next one: one INSERT (autocommit, so one transaction), the
 * trigger chaining the rows in order. Each caller's promise resolves only after that statement
 * committed, so nobody acts on an access before its record is durable; with no write in flight
 * an append goes at once, so a lone caller waits no longer than before.
 */
export function groupCommitAppender(db: SqlExecutor): AuditAppender {
  let queue: Pending[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_ROWS);
      queue = queue.slice(batch.length);
      await writeBatch(db, batch);
    }
    writing = false;
  };
  return (values) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ values, resolve, reject });
      if (!writing) void drain();
    });
}

/**
 * Writes one batch and settles each caller. A statement error (one row PostgreSQL refuses)
 * rolls the whole statement back, so each row is then written alone: one caller's bad row does
 * not fail the others. A lost connection may or may not have committed: every caller fails
 * (audit fails closed) rather than risk writing a row twice.
 */
async function writeBatch(db: SqlExecutor, batch: Pending[]): Promise<void> {
  try {
    await db.query(
      insertAuditRowsSql(batch.length),
      batch.flatMap((pending) => pending.values),
    );
    for (const pending of batch) pending.resolve();
  } catch (error) {
    if (batch.length === 1 || (isThroughlineError(error) && error.code === 'DATABASE_UNAVAILABLE')) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) await writeBatch(db, [pending]);
  }
}
