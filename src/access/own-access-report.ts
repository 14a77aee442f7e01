import { ThroughlineError } from '../kernel/errors.ts';
import type { SqlExecutor } from '../store/index.ts';
import { PROXY_DETAIL, recordAudit } from './audit.ts';
import { readAuditRows, type AuditRow } from './audit-rows.ts';
import { loadRoleMatrix } from './policy/role-matrix.ts';
import type { Caller } from './principal.ts';

/** One look at the patient's record by someone else, as the patient reads it. */
export interface OwnAccess {
  recorded: string;
  /** The staff member's name, or the system's. */
  who: string;
  /** Their role as the clinic names it ("Front desk"). */
  role: string;
  /** What they did (`read`, `search`, `update`, …). */
  action: string;
  /** What they looked at: a type ("Observation"), never another patient's data. */
  what?: string;
}

/**
 * "Who saw my record" (issue 20): the audit log's successful accesses to a patient's own
 * records by people other than herself (staff users, and caregivers acting for her as her
 * proxy; the platform's own services and feeds are not people looking at her), newest first — the patient's right of access to the
 * accounting of disclosures. Only a patient (or proxy) account asks it, for the records the
 * server resolved as hers (`patients`: every linked record); the read is audited like every
 * read of the log.
 */
export async function readOwnAccessReport(
  db: SqlExecutor,
  caller: Caller,
  request: { patients: string[]; count: number },
): Promise<OwnAccess[]> {
  const { principal } = caller;
  if (!principal.patient)
    throw new ThroughlineError('FORBIDDEN', 'The access report of one’s own record is for patient accounts');
  const rows = await readAuditRows(
    db,
    `a.patients && $1::text[] AND a.outcome = 'success' AND a.principal_kind = 'user'
     AND a.principal <> $2 ORDER BY a.id DESC LIMIT $3`,
    [request.patients, principal.id, request.count],
  );
  await recordAudit(db, caller, {
    action: 'audit-read',
    resourceType: 'AuditEvent',
    patients: request.patients,
    outcome: 'success',
    detail: 'own access report',
  });
  const roles = await rolesOf(db, [...new Set(rows.map((row) => row.principal))]);
  return rows.map((row) => accessOf(row, roles.get(row.principal)));
}

async function rolesOf(db: SqlExecutor, ids: string[]): Promise<Map<string, string[]>> {
  const result = await db.query<{ id: string; roles: string[] }>(
    'SELECT id, roles FROM staff_user WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(result.rows.map((row) => [row.id, row.roles]));
}

/** The role's display name from the role matrix. */
function roleOf(roles: string[] | undefined): string {
  const matrix = loadRoleMatrix();
  const names = (roles ?? []).map((role) => matrix.roles[role]?.display ?? role);
  return names.join(', ') || 'Staff';
}

/** A caregiver acting for her is named as her proxy, whatever her own account's role. */
function accessOf(row: AuditRow, roles: string[] | undefined): OwnAccess {
  const proxy = row.detail?.startsWith(PROXY_DETAIL) ?? false;
  return {
    recorded: row.recordedUtc,
    who: row.principalDisplay ?? 'A former staff member',
    role: proxy ? roleOf(['proxy']) : roleOf(roles),
    action: row.action,
    ...(row.resourceType ? { what: row.resourceType } : {}),
  };
}
