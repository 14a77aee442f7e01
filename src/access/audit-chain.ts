import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../store/index.ts';
import { readAuditRows, type AuditRow } from './audit-rows.ts';

/** What the first row's prev_hash is: there is no row before it. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainVerification {
  rowsChecked: number;
  /** The hash of the last row checked: publish it elsewhere to pin the log as it is now. */
  headHash: string;
  /** The first row where the chain does not hold, and why. */
  broken?: { id: string; reason: string };
}

/**
 * The row as the chain hashes it: the same JSON array as `audit_log_hash` in migration 007.
 * Computed here again so the verifier trusts no function stored in the database.
 */
export function chainHash(previous: string, row: AuditRow): string {
  const canonical = JSON.stringify([
    row.id,
    row.recordedUtc,
    row.requestId,
    row.principal,
    row.principalKind,
    row.action,
    row.resourceType,
    row.resourceId,
    JSON.stringify(row.patients),
    row.outcome,
    row.detail,
    row.remoteAddress,
  ]);
  return createHash('sha256').update(`${previous}\n${canonical}`, 'utf8').digest('hex');
}

function checkRow(row: AuditRow, previous: string): string | undefined {
  if (row.prevHash !== previous) {
    return 'prev_hash is not the hash of the row before it: a row before this one was removed or rewritten';
  }
  if (row.hash !== chainHash(previous, row))
    return "hash does not match the row's content: the row was altered";
  return undefined;
}

/**
 * Walks the whole audit log in id (= chain) order and recomputes every hash. Only rows up to
 * the chain head read at the start are checked, so appends during the walk do not disturb it;
 * ending short of that head means rows were cut off the end.
 */
export async function verifyAuditChain(db: SqlExecutor, batchSize = 1000): Promise<ChainVerification> {
  const head = await db.query<{ lastId: string | null; hash: string }>(
    'SELECT last_id AS "lastId", hash FROM audit_chain_head',
  );
  const lastId = head.rows[0]?.lastId ?? '0';
  let previous = GENESIS_HASH;
  let after = '0';
  let rowsChecked = 0;
  for (;;) {
    const rows = await readAuditRows(db, 'a.id > $1 AND a.id <= $2 ORDER BY a.id LIMIT $3', [
      after,
      lastId,
      batchSize,
    ]);
    for (const row of rows) {
      rowsChecked += 1;
      const reason = checkRow(row, previous);
      if (reason) return { rowsChecked, headHash: previous, broken: { id: row.id, reason } };
      previous = row.hash!;
      after = row.id;
    }
    if (rows.length < batchSize) break;
  }
  if (previous !== head.rows[0]?.hash) {
    const reason = `the chain head ends at row ${lastId}, the log ends before it: rows at the end were removed`;
    return { rowsChecked, headHash: previous, broken: { id: lastId, reason } };
  }
  return { rowsChecked, headHash: previous };
}
