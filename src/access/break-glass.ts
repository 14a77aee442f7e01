import { ThroughlineError } from '../kernel/errors.ts';
import type { SqlExecutor } from '../store/index.ts';
import { recordAudit } from './audit.ts';
import type { Caller, Principal } from './principal.ts';
import { loadRoleMatrix } from './policy/role-matrix.ts';

export interface BreakGlassGrant {
  id: string;
  principal: string;
  principalDisplay: string;
  patient: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
  active: boolean;
}

const MAX_MINUTES = 240;

/**
 * Break-glass: a clinician in an emergency opens one patient's record beyond their role (data
 * labelled sensitive, disclosure the patient restricted) for a limited time, with a stated
 * reason. Only roles the matrix marks `breakGlass` may; the grant is audited as `break-glass`,
 * every access under it is flagged, and the privacy officer sees the list.
 */
export async function grantBreakGlass(
  db: SqlExecutor,
  caller: Caller,
  request: { patient: string; reason: string; minutes?: number },
): Promise<BreakGlassGrant> {
  const { principal, context } = caller;
  assertMayBreakGlass(principal);
  if (!request.reason || request.reason.trim().length < 10)
    throw new ThroughlineError('INVALID_REQUEST', 'State the reason (at least 10 characters)', {
      expression: 'reason',
    });
  const minutes = Math.min(Math.max(Math.trunc(request.minutes ?? 60), 1), MAX_MINUTES);
  const result = await db.query<GrantRow>(
    `INSERT INTO break_glass_grant (principal, principal_display, patient, reason, expires_at, request_id)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5), $6) RETURNING ${columns}`,
    [principal.id, principal.display, request.patient, request.reason.trim(), minutes, context.requestId],
  );
  await recordAudit(db, caller, {
    action: 'break-glass',
    resourceType: 'Patient',
    resourceId: request.patient,
    patients: [request.patient],
    outcome: 'success',
    detail: `${minutes} min: ${request.reason.trim()}`,
  });
  return toGrant(result.rows[0]!);
}

/**
 * Only roles the matrix marks `breakGlass`. Checked before anything about the patient is looked
 * up, so a caller who may not break the glass learns nothing (not even whether the patient exists).
 */
export function assertMayBreakGlass(principal: Principal): void {
  const matrix = loadRoleMatrix();
  if (!principal.roles.some((role) => matrix.roles[role]?.breakGlass))
    throw new ThroughlineError('FORBIDDEN', 'Your role may not break the glass');
}

/** The patients this caller holds a live grant for (one indexed query per request). */
export async function breakGlassPatients(db: SqlExecutor, principal: Principal): Promise<Set<string>> {
  if (principal.kind !== 'user') return new Set();
  const result = await db.query<{ patient: string }>(
    'SELECT DISTINCT patient FROM break_glass_grant WHERE principal = $1 AND expires_at > now()',
    [principal.id],
  );
  return new Set(result.rows.map((row) => row.patient));
}

/** Every grant, newest first: what the privacy officer reviews. */
export async function listBreakGlass(db: SqlExecutor, limit = 200): Promise<BreakGlassGrant[]> {
  const result = await db.query<GrantRow>(
    `SELECT ${columns} FROM break_glass_grant ORDER BY granted_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return result.rows.map(toGrant);
}

const columns =
  'id, principal, principal_display, patient, reason, granted_at, expires_at, (expires_at > now()) AS active';

interface GrantRow {
  id: string;
  principal: string;
  principal_display: string;
  patient: string;
  reason: string;
  granted_at: string | Date;
  expires_at: string | Date;
  active: boolean;
}

const iso = (value: string | Date) => new Date(value).toISOString();

function toGrant(row: GrantRow): BreakGlassGrant {
  return {
    id: String(row.id),
    principal: row.principal,
    principalDisplay: row.principal_display,
    patient: row.patient,
    reason: row.reason,
    grantedAt: iso(row.granted_at),
    expiresAt: iso(row.expires_at),
    active: row.active,
  };
}
