import { isThroughlineError } from '../kernel/errors.ts';
import { groupCommit } from '../kernel/group-commit.ts';
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

/** Appends audit rows; resolves once the row is committed. */
export type AuditAppender = (values: unknown[]) => Promise<void>;

/**
 * Group commit for the hash-chained audit log. Every append takes the one chain-head row lock
 * and holds it through its commit, so appends one transaction each are as many as the disk
 * can flush one after another. Here appends that arrive while a write is in flight are
 * written together by the next one (`kernel/group-commit.ts`): one INSERT (autocommit, so one
 * transaction), the trigger chaining the rows in order. Each caller's promise resolves only
 * after that statement committed, so nobody acts on an access before its record is durable.
 * A row PostgreSQL refuses rolls the statement back; the rows are then written one by one, so
 * it fails only its own caller. A lost connection may or may not have committed: every caller
 * fails (audit fails closed) rather than risk writing a row twice.
 */
export function groupCommitAppender(db: SqlExecutor): AuditAppender {
  return groupCommit<unknown[]>({
    maxBatch: MAX_ROWS,
    write: async (rows) => void (await db.query(insertAuditRowsSql(rows.length), rows.flat())),
    retryAlone: (error) => !(isThroughlineError(error) && error.code === 'DATABASE_UNAVAILABLE'),
  });
}
