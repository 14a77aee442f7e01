import type { SqlExecutor } from '../store/index.ts';

/** One audit_log row as stored. `recordedUtc` is the time exactly as the hash chain sees it. */
export interface AuditRow {
  id: string;
  recordedUtc: string;
  requestId: string | null;
  principal: string;
  principalKind: string;
  /** The staff member's or client's name, when the account still exists (not hashed). */
  principalDisplay: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  patients: string[];
  outcome: string;
  detail: string | null;
  remoteAddress: string | null;
  prevHash: string | null;
  hash: string | null;
}

// UTC with microseconds: the same text migration 007's audit_log_hash hashes, whatever the
// session's TimeZone, and still a valid FHIR instant.
const columns = `a.id, to_char(a.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "recordedUtc",
  a.request_id AS "requestId", a.principal, a.principal_kind AS "principalKind",
  coalesce(u.display_name, c.name) AS "principalDisplay", a.action, a.resource_type AS "resourceType",
  a.resource_id AS "resourceId", a.patients, a.outcome, a.detail, a.remote_address AS "remoteAddress",
  a.prev_hash AS "prevHash", a.hash`;

/**
 * Reads audit rows: `where` is a condition on `a` (audit_log) with `ORDER BY`/`LIMIT`, its
 * values in `params`. Names come from the accounts, so renaming a user never touches the log.
 */
export async function readAuditRows(db: SqlExecutor, where: string, params: unknown[]): Promise<AuditRow[]> {
  const result = await db.query<AuditRow>(
    `SELECT ${columns} FROM audit_log a
     LEFT JOIN staff_user u ON a.principal_kind = 'user' AND u.id = a.principal
     LEFT JOIN oauth_client c ON a.principal_kind = 'system' AND c.client_id = a.principal
     WHERE ${where}`,
    params,
  );
  return result.rows;
}
