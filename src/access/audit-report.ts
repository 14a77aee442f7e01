import { ThroughlineError } from '../kernel/errors.ts';
import type { SqlExecutor } from '../store/index.ts';
import { recordAudit } from './audit.ts';
import { readAuditRows, type AuditRow } from './audit-rows.ts';
import type { Caller, Principal } from './principal.ts';
import { isIntegrationPrincipal } from './operator-roles.ts';
import { parseScope } from './scopes.ts';

/** Filters of the audit report; every one is optional but the page size. */
export interface AuditQuery {
  patient?: string;
  /** The principal: a staff user id or a client id. */
  user?: string;
  actions?: string[];
  /** Actions left out (`action=E`: everything but create, read, update, delete). */
  excludedActions?: string[];
  /** The resource acted on (an `entity` that is not a Patient). */
  entity?: { resourceType: string; id: string };
  outcomes?: string[];
  /** One row by its id (`GET /fhir/AuditEvent/{id}`). */
  id?: string;
  /** Oldest first (`_sort=date`); the default is newest first. */
  ascending?: boolean;
  /** Recorded at or after `from` and before `to` (instants, e.g. `2025-03-01T00:00:00.000Z`). */
  from?: string;
  to?: string;
  /** Rows past this id only: the next page (smaller ids newest first, larger oldest first). */
  before?: string;
  count: number;
}

const AUDIT_ROLES = ['admin', 'privacy-officer'];

/**
 * Who may read the audit log: the admin and privacy-officer roles — the ROLE decides, never a
 * scope by itself. A scope naming AuditEvent (`system/AuditEvent.rs`) counts only for a system
 * client with the integration role (a SIEM export): a user's wildcard scope narrowed into
 * `user/AuditEvent.rs` at an app launch must not open the log, which tells who looked at whom.
 */
export function mayReadAuditLog(principal: Principal): boolean {
  if (principal.roles.some((role) => AUDIT_ROLES.includes(role))) return true;
  if (!isIntegrationPrincipal(principal)) return false;
  return principal.scopes.some((scope) => {
    const parsed = parseScope(scope);
    return parsed?.resourceType === 'AuditEvent' && (parsed.allowed.has('r') || parsed.allowed.has('s'));
  });
}

/** Newest first unless asked otherwise. The patient filter uses the GIN index on `patients`. */
export async function searchAuditLog(db: SqlExecutor, query: AuditQuery): Promise<AuditRow[]> {
  const { filter, params } = auditFilter(query);
  params.push(query.count);
  const order = query.ascending ? 'ASC' : 'DESC';
  return readAuditRows(db, `${filter} ORDER BY a.id ${order} LIMIT $${params.length}`, params);
}

/** How many rows the query matches, paging aside (`_total`). */
export async function countAuditLog(db: SqlExecutor, query: AuditQuery): Promise<number> {
  const { filter, params } = auditFilter({ ...query, before: undefined });
  const result = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM audit_log a WHERE ${filter}`,
    params,
  );
  return Number(result.rows[0]?.n ?? 0);
}

function auditFilter(query: AuditQuery): { filter: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const where = (sql: (param: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (query.id) where((p) => `a.id = ${p}::bigint`, query.id);
  if (query.patient) where((p) => `a.patients @> ARRAY[${p}]::text[]`, query.patient);
  if (query.user) where((p) => `a.principal = ${p}`, query.user);
  if (query.actions) where((p) => `a.action = ANY(${p}::text[])`, query.actions);
  if (query.excludedActions?.length) where((p) => `NOT a.action = ANY(${p}::text[])`, query.excludedActions);
  if (query.entity) where((p) => `a.resource_type = ${p}`, query.entity.resourceType);
  if (query.entity) where((p) => `a.resource_id = ${p}`, query.entity.id);
  if (query.outcomes) where((p) => `a.outcome = ANY(${p}::text[])`, query.outcomes);
  if (query.from) where((p) => `a.recorded_at >= ${p}::timestamptz`, query.from);
  if (query.to) where((p) => `a.recorded_at < ${p}::timestamptz`, query.to);
  if (query.before) where((p) => `a.id ${query.ascending ? '>' : '<'} ${p}::bigint`, query.before);
  return { filter: conditions.length > 0 ? conditions.join(' AND ') : 'true', params };
}

/**
 * The audit report, itself audited (action `audit-read`, naming every patient the answer
 * mentions): refused and recorded unless the caller may read the log.
 */
export async function readAuditLog(db: SqlExecutor, caller: Caller, query: AuditQuery): Promise<AuditRow[]> {
  const { principal } = caller;
  const entry = { action: 'audit-read', resourceType: 'AuditEvent', detail: JSON.stringify(query) };
  if (!mayReadAuditLog(principal)) {
    const patients = query.patient ? [query.patient] : [];
    await recordAudit(db, caller, { ...entry, patients, outcome: 'denied' });
    throw new ThroughlineError('FORBIDDEN', 'Reading the audit log needs the admin or privacy-officer role');
  }
  const rows = await searchAuditLog(db, query);
  const patients = rows.flatMap((row) => row.patients);
  await recordAudit(db, caller, { ...entry, patients, outcome: 'success' });
  return rows;
}
