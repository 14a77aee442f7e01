import { timingSafeEqual } from 'node:crypto';
import type { SqlExecutor } from '../../store/index.ts';
import type { Principal } from '../principal.ts';
import { findAppClient, grantAppScopes, type AppClient } from './app-clients.ts';
import type { AuthSettings } from './auth-settings.ts';
import { invalidGrant, OAuthError } from './oauth-error.ts';
import { hashOpaqueToken, newOpaqueToken, pkceChallengeOf } from './secret-hash.ts';
import { revokeSession, useSession } from './sessions.ts';

/** The query of `GET /oauth2/authorize` (SMART App Launch v2, standalone launch). */
export interface AuthorizationRequest {
  responseType?: string;
  redirectUri?: string;
  scope?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  aud?: string;
}

export interface CodeRedemption {
  code: string;
  redirectUri: string;
  codeVerifier: string;
  client: AppClient;
}

export interface RedeemedCode {
  userId: string;
  signInSessionId: string;
  /** An online grant ends with the sign-in it was made in. */
  signInRemainingSeconds: number;
  scope: string[];
  codeHash: string;
}

// RFC 7636 §4.1: 43–128 unreserved characters; an S256 challenge is 43 base64url characters.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The app and redirect URI, checked first: if either is wrong the error must be shown, never
 * sent to the redirect URI (RFC 6749 §4.1.2.1), or the endpoint becomes an open redirector.
 */
export async function appForAuthorization(
  db: SqlExecutor,
  clientId: string,
  redirectUri: string,
): Promise<AppClient> {
  const client = await findAppClient(db, clientId);
  if (!client || !client.redirectUris.includes(redirectUri)) {
    throw new OAuthError('invalid_request', 'Unknown client_id or unregistered redirect_uri');
  }
  return client;
}

const MAX_STATE_LENGTH = 1024;

/**
 * `state` and `aud` are required (SMART App Launch v2, authorization request): `state` is the
 * app's CSRF protection, and `aud` must name this server's FHIR base, so a code is never
 * minted for a token the app meant for another server. Answered 400, never redirected: without
 * `state` the app could not tell our answer from a forged one.
 */
export function requireStateAndAudience(request: { state?: string; aud?: string }, audience: string): void {
  if (!request.state || request.state.length > MAX_STATE_LENGTH)
    throw new OAuthError('invalid_request', `state is required (1 to ${MAX_STATE_LENGTH} characters)`);
  if (request.aud !== audience)
    throw new OAuthError(
      'invalid_request',
      `aud is required and must be this server's FHIR base, ${audience}`,
    );
}

/**
 * A single-use code for a signed-in user, bound to the app, redirect URI, granted scopes and
 * PKCE challenge. PKCE is required and only S256 is accepted (`plain` would protect nothing
 * against an intercepted request).
 */
export async function issueAuthorizationCode(
  db: SqlExecutor,
  settings: AuthSettings & { audience: string },
  input: { client: AppClient; user: Principal; sessionId: string; request: AuthorizationRequest },
): Promise<{ code: string; scope: string[] }> {
  const { request, client, user } = input;
  if (request.responseType !== 'code') {
    throw new OAuthError('unsupported_response_type', 'Only response_type=code is supported');
  }
  if (request.codeChallengeMethod !== 'S256' || !S256_CHALLENGE.test(request.codeChallenge ?? '')) {
    throw new OAuthError(
      'invalid_request',
      'PKCE is required: code_challenge with code_challenge_method=S256',
    );
  }
  if (request.aud !== settings.audience) {
    throw new OAuthError('invalid_request', `aud must be this server's FHIR base, ${settings.audience}`);
  }
  const scope = grantAppScopes((request.scope ?? '').split(' '), client.scopes, user.scopes);
  if (scope.length === 0)
    throw new OAuthError('invalid_scope', 'None of the requested scopes can be granted');
  const code = newOpaqueToken();
  await db.query(
    `INSERT INTO oauth_authorization_code (code_hash, client_id, session_id, redirect_uri, scope, code_challenge, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
    [
      hashOpaqueToken(code),
      client.clientId,
      input.sessionId,
      request.redirectUri,
      scope.join(' '),
      request.codeChallenge,
      settings.codeTtlSeconds,
    ],
  );
  return { code, scope };
}

interface CodeRow {
  client_id: string;
  session_id: string;
  user_id: string;
  redirect_uri: string;
  scope: string;
  code_challenge: string;
  expired: boolean;
  used: boolean;
  family_id: string | null;
}

/**
 * Checks a code against the app, redirect URI and PKCE verifier, then spends it. A spent code
 * presented again means it leaked: the grant made from it is revoked (RFC 6749 §4.1.2).
 */
export async function redeemAuthorizationCode(db: SqlExecutor, input: CodeRedemption): Promise<RedeemedCode> {
  const codeHash = hashOpaqueToken(input.code);
  const result = await db.query<CodeRow>(
    `SELECT c.client_id, c.session_id, s.user_id, c.redirect_uri, c.scope, c.code_challenge, c.family_id,
       c.expires_at <= now() AS expired, c.used_at IS NOT NULL AS used
     FROM oauth_authorization_code c JOIN auth_session s ON s.id = c.session_id WHERE c.code_hash = $1`,
    [codeHash],
  );
  const row = result.rows[0];
  if (!row) throw invalidGrant('Unknown authorization code');
  if (row.used) {
    if (row.family_id) await revokeSession(db, row.family_id, 'authorization code replay');
    throw invalidGrant('Authorization code already used');
  }
  if (row.expired) throw invalidGrant('Authorization code expired');
  if (row.client_id !== input.client.clientId || row.redirect_uri !== input.redirectUri) {
    throw invalidGrant('Authorization code was issued to another client or redirect_uri');
  }
  if (
    !VERIFIER.test(input.codeVerifier) ||
    !sameText(pkceChallengeOf(input.codeVerifier), row.code_challenge)
  ) {
    throw invalidGrant('code_verifier does not match the code_challenge');
  }
  const signIn = await useSession(db, row.session_id);
  if (!signIn) throw invalidGrant('The user is no longer signed in');
  const spent = await db.query(
    'UPDATE oauth_authorization_code SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL RETURNING code_hash',
    [codeHash],
  );
  if (spent.rows.length === 0) throw invalidGrant('Authorization code already used');
  return {
    userId: row.user_id,
    signInSessionId: row.session_id,
    signInRemainingSeconds: signIn.remaining_seconds,
    scope: row.scope.split(' ').filter(Boolean),
    codeHash,
  };
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
