// Authentication: sessions, TOTP, SMART app launch (authorization code + PKCE), refresh-token
// rotation, external OpenID Connect, and the bearer-token check every protected route uses.
export { authSettingsOf, type AuthSettings, type OidcSettings } from './auth-settings.ts';
export { createBearerVerifier, type BearerVerifier } from './verify-bearer.ts';
export { signInStaff, type StaffCredentials, type StaffSession } from './sign-in-staff.ts';
export { revokeSession } from './sessions.ts';
export { resumeStaffSession, type ResumedSession } from './resume-staff-session.ts';
export { enrolTotp, confirmTotp, type TotpEnrolment } from './totp-factor.ts';
export { upsertAppClient, authenticateAppClient, type AppClient, type AppClientSpec } from './app-clients.ts';
export {
  appForAuthorization,
  issueAuthorizationCode,
  requireStateAndAudience,
  type AuthorizationRequest,
} from './authorization-codes.ts';
export { exchangeAuthorizationCode, type AppGrant } from './app-grants.ts';
export { rotateRefreshToken, RefreshTokenReuse } from './refresh-tokens.ts';
export { OAuthError } from './oauth-error.ts';
export {
  authenticateClientAssertion,
  checkClientJwks,
  JWT_BEARER_ASSERTION,
  ASSERTION_ALGORITHMS,
} from './client-assertion.ts';
export { parseSignInIdentifier, normalizePhone, type SignInIdentifier } from './sign-in-identifier.ts';
export { CODE_TTL_MINUTES, MAX_CODE_ATTEMPTS } from './sign-in-codes.ts';
export {
  requestSignInCode,
  type CodeRequestOutcome,
  type SendSignInCode,
  type SignInCodeMessage,
} from './request-sign-in-code.ts';
export { signInWithCode } from './sign-in-with-code.ts';
