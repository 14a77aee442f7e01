import type { SqlExecutor } from '../../store/index.ts';
import { grantScopes } from '../scopes.ts';
import { REFRESH_SCOPES, type AppClient } from './app-clients.ts';
import { addRefreshToken, grantFor, type AppGrant } from './app-grants.ts';
import { OAuthError } from './oauth-error.ts';
import { hashOpaqueToken } from './secret-hash.ts';
import { revokeSession, useSession } from './sessions.ts';

/** A spent refresh token came back: someone holds a copy. Its family is already revoked. */
export class RefreshTokenReuse extends OAuthError {
  readonly familyId: string;
  readonly userId: string;

  constructor(familyId: string, userId: string) {
    super('invalid_grant', 'Refresh token already used; the grant is revoked');
    this.familyId = familyId;
    this.userId = userId;
  }
}

export interface RefreshRequest {
  refreshToken: string;
  client: AppClient;
  /** RFC 6749 §6 `scope`: at most what was granted; the new access token carries only these. */
  scope?: string;
}

interface RefreshRow {
  session_id: string;
  used: boolean;
  client_id: string;
  user_id: string;
}

/**
 * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2, OAuth 2.1 §4.3.1): each use
 * spends the token and returns a new one in the same family. Presenting a spent token —
 * whether the thief or the app comes second — revokes the family's session, which ends every
 * access and refresh token of the grant at once.
 */
export async function rotateRefreshToken(db: SqlExecutor, input: RefreshRequest): Promise<AppGrant> {
  const { refreshToken, client } = input;
  const tokenHash = hashOpaqueToken(refreshToken);
  const result = await db.query<RefreshRow>(
    `SELECT r.session_id, r.used_at IS NOT NULL AS used, s.client_id, s.user_id
     FROM oauth_refresh_token r JOIN auth_session s ON s.id = r.session_id WHERE r.token_hash = $1`,
    [tokenHash],
  );
  const row = result.rows[0];
  if (!row || row.client_id !== client.clientId)
    throw new OAuthError('invalid_grant', 'Invalid refresh token');
  if (row.used) throw await reuseDetected(db, row);
  const family = await useSession(db, row.session_id);
  if (!family) throw new OAuthError('invalid_grant', 'The grant has ended; authorize again');
  const granted = family.scope.split(' ').filter(Boolean);
  // Checked before the token is spent: a refused request leaves the app its refresh token.
  const scope = input.scope === undefined ? granted : narrowedScope(input.scope, granted);
  // Conditional on still unused: of two concurrent uses exactly one wins, the other is reuse.
  const spent = await db.query(
    'UPDATE oauth_refresh_token SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL RETURNING token_hash',
    [tokenHash],
  );
  if (spent.rows.length === 0) throw await reuseDetected(db, row);
  return grantFor(db, {
    sessionId: row.session_id,
    userId: row.user_id,
    client,
    scope,
    refreshToken: await addRefreshToken(db, row.session_id),
  });
}

async function reuseDetected(db: SqlExecutor, row: RefreshRow): Promise<RefreshTokenReuse> {
  await revokeSession(db, row.session_id, 'refresh token reuse');
  return new RefreshTokenReuse(row.session_id, row.user_id);
}

/**
 * RFC 6749 §6: the requested scope must not include anything not originally granted; a
 * narrower one applies to the new access token only (the grant, and so the next refresh,
 * keeps what was granted). Anything wider is `invalid_scope`, never silently dropped.
 */
function narrowedScope(requested: string, granted: string[]): string[] {
  const wanted = [...new Set(requested.split(' ').filter(Boolean))];
  const resource = wanted.filter((scope) => !REFRESH_SCOPES.includes(scope));
  const covered =
    resource.length > 0 &&
    grantScopes(resource, granted).length === resource.length &&
    wanted.every((scope) => !REFRESH_SCOPES.includes(scope) || granted.includes(scope));
  if (!covered)
    throw new OAuthError('invalid_scope', 'The requested scope exceeds what was granted; authorize again');
  return wanted;
}
