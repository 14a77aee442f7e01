// Public face of the access module.
export type { Principal, RequestContext } from './principal.ts';
export { scopeRepository } from './scoped-repository.ts';
export {
  assertMayBreakGlass,
  grantBreakGlass,
  breakGlassPatients,
  listBreakGlass,
  type BreakGlassGrant,
} from './break-glass.ts';
export { loadRoleMatrix } from './policy/role-matrix.ts';
export { recordAudit, type AuditEntry } from './audit.ts';
export { authenticateClient, signIn, upsertClient, upsertUser } from './accounts.ts';
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
  provisionAccounts,
  DEMO_CLIENT,
  DEMO_USERS,
  DEMO_PASSWORD,
  DEMO_PATIENT,
} from './provision-accounts.ts';
export { verifyAuditChain, type ChainVerification } from './audit-chain.ts';
export { readAuditLog, mayReadAuditLog, type AuditQuery } from './audit-report.ts';
export { toAuditEvent } from './audit-event.ts';
export type { AuditRow } from './audit-rows.ts';
export * from './auth/index.ts';
export { planErasure, ERASABLE_TYPES, PRIVACY_SYSTEM, type ErasurePlan } from './privacy/plan-erasure.ts';
