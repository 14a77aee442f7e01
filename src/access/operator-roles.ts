import { ThroughlineError } from '../kernel/errors.ts';
import { loadRoleMatrix } from './policy/role-matrix.ts';
import type { Principal } from './principal.ts';

/**
 * Decisions that are not about one FHIR resource but about operating the platform: the raw
 * HL7 v2 message store, the identity model, assigning other people's work, recomputing every
 * journey, privacy requests. They come from the caller's ROLES — the `operations` each role is
 * granted in the role matrix (data, `role-matrix.json`) — never from SMART scopes alone: every
 * clinician and every patient holds a `*` scope, so a scope cannot say "this caller runs
 * integrations".
 */
export type PlatformOperation =
  | 'integration-feed'
  | 'identity-model'
  | 'recompute-journeys'
  | 'assign-work'
  | 'privacy-requests'
  | 'engagement-outbox'
  | 'engagement-send'
  | 'engagement-log-call'
  | 'engagement-campaigns'
  | 'bulk-export'
  | 'analytics-kpis'
  | 'automation-rules'
  | 'integration-console'
  | 'proxy-grants'
  | 'results-release';

/** Whether any of the caller's roles is granted the operation by the role matrix. */
export function mayPerform(principal: Principal, operation: PlatformOperation): boolean {
  const roles = loadRoleMatrix().roles;
  return principal.roles.some((role) => roles[role]?.operations?.includes(operation) ?? false);
}

/** Refuses (FORBIDDEN, with the reason a person can read) when the caller may not perform it. */
export function requireOperation(principal: Principal, operation: PlatformOperation, why: string): void {
  if (!mayPerform(principal, operation)) throw new ThroughlineError('FORBIDDEN', why);
}

/**
 * A system client (client credentials, never a person's token) granted the integration feed:
 * the only callers of `POST /hl7v2` and `/api/hl7v2/messages…`, whose raw messages name every
 * patient.
 */
export function isIntegrationPrincipal(principal: Principal): boolean {
  return principal.kind === 'system' && mayPerform(principal, 'integration-feed');
}

/** The match model decides how every Patient links: only who operates the identity model. */
export function mayOperateIdentityModel(principal: Principal): boolean {
  return mayPerform(principal, 'identity-model');
}

/**
 * Staff: a role the matrix grants on any patient (`relation: any`), and no patient context.
 * Patients and proxies (`relation: own`) are not staff, whatever scopes they hold.
 */
export function isStaffPrincipal(principal: Principal): boolean {
  if (principal.patient) return false;
  const roles = loadRoleMatrix().roles;
  return principal.roles.some((role) => roles[role]?.relation === 'any');
}

/** May hand a task to someone else, or release or re-assign a task another person holds. */
export function mayAssignWork(principal: Principal): boolean {
  return mayPerform(principal, 'assign-work');
}
