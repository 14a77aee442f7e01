import { loadRoleMatrix } from './policy/role-matrix.ts';
import type { Principal } from './principal.ts';

/**
 * Decisions that are not about one FHIR resource but about operating the platform: the raw
 * HL7 v2 message store, the identity model, assigning other people's work. They come from the
 * caller's ROLES (the role matrix's data), never from SMART scopes alone: every clinician and
 * every patient holds a `*` scope, so a scope cannot say "this caller runs integrations".
 */

/** Roles that run integrations: the HL7 v2 feed and message store, model training. */
export const INTEGRATION_ROLES = ['integration', 'admin'];
/** Roles that may assign or take back work someone else holds (worklist tasks). */
export const ASSIGNER_ROLES = ['care-coordinator', 'admin'];

const hasRole = (principal: Principal, roles: string[]) =>
  principal.roles.some((role) => roles.includes(role));

/**
 * A system client (client credentials, never a person's token) with the integration or
 * admin role: the only callers of `POST /hl7v2` and `/api/hl7v2/messages…`, whose raw
 * messages name every patient.
 */
export function isIntegrationPrincipal(principal: Principal): boolean {
  return principal.kind === 'system' && hasRole(principal, INTEGRATION_ROLES);
}

/** Admin or integration, person or system: the match model decides how every Patient links. */
export function mayOperateIdentityModel(principal: Principal): boolean {
  return hasRole(principal, INTEGRATION_ROLES);
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
  return hasRole(principal, ASSIGNER_ROLES);
}

/** May perform an operation the role matrix lists under `operations` (as data, like everything else). */
export function mayPerform(principal: Principal, operation: string): boolean {
  return hasRole(principal, loadRoleMatrix().operations?.[operation] ?? []);
}
