import type { SqlExecutor } from '../store/index.ts';
import type { Principal, RequestContext } from './principal.ts';

export interface AuditEntry {
  action: string;
  resourceType?: string;
  resourceId?: string;
  /** Every patient whose data the action touched or returned. */
  patients: string[];
  outcome: 'success' | 'failure' | 'denied';
  detail?: string;
}

/** Who acted (none before they are authenticated: `anonymous`), in which request. */
export interface AuditedCaller {
  principal?: Principal;
  context: RequestContext;
}

/**
 * Appends one audit record. Callers await it before returning data: if it fails, the request
 * fails (audit fails closed, house rule 7). The database links it into the hash chain (id,
 * prev_hash, hash; migration 007) in this same statement, so chaining costs no round trip.
 * Inside a transaction the chain stays locked until it ends: audit late, commit soon.
 */
export async function recordAudit(db: SqlExecutor, caller: AuditedCaller, entry: AuditEntry): Promise<void> {
  const { principal, context } = caller;
  await db.query(
    `INSERT INTO audit_log (request_id, principal, principal_kind, action, resource_type, resource_id, patients, outcome, detail, remote_address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      context.requestId,
      principal?.id ?? 'anonymous',
      principal?.kind ?? 'anonymous',
      entry.action,
      entry.resourceType ?? null,
      entry.resourceId ?? null,
      [...new Set(entry.patients)],
      entry.outcome,
      entry.detail ?? null,
      context.remoteAddress ?? null,
    ],
  );
}
