// Public face of the access module.
export type { Caller, Principal, RequestContext } from './principal.ts';
export { actorOf, servicePrincipal, USER_SYSTEM, CLIENT_SYSTEM } from './principal.ts';
export { scopeRepository, type ScopeOptions, type ScopedCaller } from './scoped-repository.ts';
export {
  assertMayBreakGlass,
  grantBreakGlass,
  breakGlassPatients,
  listBreakGlass,
  type BreakGlassGrant,
} from './break-glass.ts';
export {
  loadRoleMatrix,
  decideCell,
  type Decision,
  type Relation,
  type RoleMatrix,
} from './policy/role-matrix.ts';
export type { Interaction } from './scopes.ts';
/** TOTP primitives (RFC 6238), for tests and authenticator tooling. */
export { fromBase32, hotp, stepAt } from './auth/totp.ts';
export { recordAudit, PROXY_DETAIL, type AuditEntry, type AuditedCaller } from './audit.ts';
export { stopArgon2Pool } from './argon2-pool.ts';
export { authenticateClient, isStaffUserId, signIn, upsertClient, upsertUser } from './accounts.ts';
export {
  issueAccessToken,
  verifyAccessToken,
  readAccessToken,
  loadSigningKey,
  type TokenSettings,
  type TokenBinding,
  type VerifiedToken,
} from './tokens.ts';
export { grantScopes, scopesAllow, parseScope } from './scopes.ts';
export {
  isIntegrationPrincipal,
  isStaffPrincipal,
  mayAssignWork,
  mayOperateIdentityModel,
  mayPerform,
  requireOperation,
  type PlatformOperation,
} from './operator-roles.ts';
export { provisionAccounts } from './provision-accounts.ts';
export { verifyAuditChain, type ChainVerification } from './audit-chain.ts';
export { readAuditLog, mayReadAuditLog, countAuditLog, type AuditQuery } from './audit-report.ts';
export { readOwnAccessReport, type OwnAccess } from './own-access-report.ts';
export { auditQueryOfFhir } from './audit-fhir-query.ts';
export { recordExternalAuditEvent } from './external-audit-event.ts';
export { toAuditEvent } from './audit-event.ts';
export type { AuditRow } from './audit-rows.ts';
export * from './auth/index.ts';
export { planErasure, ERASABLE_TYPES, PRIVACY_SYSTEM, type ErasurePlan } from './privacy/plan-erasure.ts';
export { actForPatient, liveGrantsHeldBy, mayActForOthers, PROXY_ROLE } from './proxy/act-for-patient.ts';
export {
  grantAccountOf,
  grantPatientOf,
  grantScopeCodes,
  isGrantLive,
  isProxyGrant,
  PROXY_SCOPE_URL,
  PROXY_SCOPES,
} from './proxy/proxy-grant.ts';
export { intersectScopes } from './scopes.ts';
export {
  holdEndOf,
  holds,
  isRelease,
  releaseOf,
  NO_HOLD,
  RELEASE_ACTIVITY,
  RESULT_TYPES,
  HELD_STATUSES,
  type ResultHold,
} from './hold/result-hold.ts';
export { heldResults, releasedAmong } from './hold/held-results.ts';
export type { HoldSetting } from './hold/hold-gate.ts';
