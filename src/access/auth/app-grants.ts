import { ThroughlineError } from '../../kernel/errors.ts';
import type { SqlExecutor } from '../../store/index.ts';
import type { Principal } from '../principal.ts';
import type { AppClient } from './app-clients.ts';
import type { AuthSettings } from './auth-settings.ts';
import { redeemAuthorizationCode, type CodeRedemption } from './authorization-codes.ts';
import { hashOpaqueToken, newOpaqueToken } from './secret-hash.ts';
import { openSession } from './sessions.ts';

/** What the token endpoint hands an app: a principal to sign, its session, maybe a refresh token. */
export interface AppGrant {
  principal: Principal;
  /** The grant's own session (the refresh-token family); access tokens carry it as `sid`. */
  sessionId: string;
  clientId: string;
  scope: string[];
  refreshToken?: string;
}

/**
 * Authorization code → grant. Each grant is its own session under the user's sign-in:
 * `offline_access` outlives the sign-in (up to REFRESH_TOKEN_TTL_DAYS); otherwise the grant is
 * `online` and ends with the sign-in (logout revokes it). A refresh token is issued only when
 * offline_access or online_access was granted.
 */
export async function exchangeAuthorizationCode(
  db: SqlExecutor,
  settings: AuthSettings,
  redemption: CodeRedemption,
): Promise<AppGrant> {
  const code = await redeemAuthorizationCode(db, redemption);
  const offline = code.scope.includes('offline_access');
  const sessionId = await openSession(db, {
    userId: code.userId,
    kind: offline ? 'offline' : 'online',
    parentId: code.signInSessionId,
    clientId: redemption.client.clientId,
    scope: code.scope.join(' '),
    idleSeconds: offline ? settings.offlineGrantSeconds : settings.sessionIdleSeconds,
    maxSeconds: offline ? settings.offlineGrantSeconds : code.signInRemainingSeconds,
  });
  // Remembered so that a replay of this code revokes the grant made from it.
  await db.query('UPDATE oauth_authorization_code SET family_id = $2 WHERE code_hash = $1', [
    code.codeHash,
    sessionId,
  ]);
  const wantsRefresh = code.scope.some((scope) => scope === 'offline_access' || scope === 'online_access');
  return grantFor(db, {
    sessionId,
    userId: code.userId,
    client: redemption.client,
    scope: code.scope,
    refreshToken: wantsRefresh ? await addRefreshToken(db, sessionId) : undefined,
  });
}

/** A new refresh token in a family; only its hash is stored. */
export async function addRefreshToken(db: SqlExecutor, sessionId: string): Promise<string> {
  const token = newOpaqueToken();
  await db.query('INSERT INTO oauth_refresh_token (token_hash, session_id) VALUES ($1, $2)', [
    hashOpaqueToken(token),
    sessionId,
  ]);
  return token;
}

/** The grant's principal, with the user's current name and roles (a role removed is removed now). */
export async function grantFor(
  db: SqlExecutor,
  input: { sessionId: string; userId: string; client: AppClient; scope: string[]; refreshToken?: string },
): Promise<AppGrant> {
  const result = await db.query<{ display_name: string; roles: string[]; patient_id: string | null }>(
    'SELECT display_name, roles, patient_id FROM staff_user WHERE id = $1',
    [input.userId],
  );
  const user = result.rows[0];
  if (!user) throw new ThroughlineError('UNAUTHENTICATED', 'The user no longer exists');
  return {
    principal: {
      kind: 'user',
      id: input.userId,
      display: user.display_name,
      roles: user.roles,
      scopes: input.scope,
      // A patient's app acts for the patient the account is for (SMART patient context).
      ...(user.patient_id ? { patient: user.patient_id } : {}),
    },
    sessionId: input.sessionId,
    clientId: input.client.clientId,
    scope: input.scope,
    ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}),
  };
}
