import type { SqlExecutor } from '../../store/index.ts';
import { authenticateClient } from '../accounts.ts';
import { hashSecret } from '../passwords.ts';
import { grantScopes, parseScope } from '../scopes.ts';
import { OAuthError } from './oauth-error.ts';

/** An app that users launch (SMART standalone launch, authorization code with PKCE). */
export interface AppClientSpec {
  clientId: string;
  name: string;
  /** Exact redirect URIs; anything else is refused (no prefix or wildcard matching). */
  redirectUris: string[];
  /** Upper bound of what the app may be granted: resource scopes and offline/online_access. */
  scopes: string[];
  /** Confidential apps have one; public apps (browser, mobile) have none and rely on PKCE. */
  secret?: string;
}

export interface AppClient {
  clientId: string;
  name: string;
  publicClient: boolean;
  redirectUris: string[];
  scopes: string[];
}

export const REFRESH_SCOPES = ['offline_access', 'online_access'];

export async function upsertAppClient(db: SqlExecutor, spec: AppClientSpec): Promise<void> {
  // A public client's secret hash is empty: no secret ever verifies against it.
  const secretHash = spec.secret ? await hashSecret(spec.secret) : '';
  await db.query(
    `INSERT INTO oauth_client (client_id, secret_hash, name, scopes, roles, redirect_uris, public_client)
     VALUES ($1, $2, $3, $4, '{}', $5, $6)
     ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, name = EXCLUDED.name,
       scopes = EXCLUDED.scopes, redirect_uris = EXCLUDED.redirect_uris,
       public_client = EXCLUDED.public_client, updated_at = now()`,
    [spec.clientId, secretHash, spec.name, spec.scopes.join(' '), spec.redirectUris, !spec.secret],
  );
}

export async function findAppClient(db: SqlExecutor, clientId: string): Promise<AppClient | undefined> {
  const result = await db.query<{
    name: string;
    scopes: string;
    redirect_uris: string[];
    public_client: boolean;
  }>('SELECT name, scopes, redirect_uris, public_client FROM oauth_client WHERE client_id = $1', [clientId]);
  const row = result.rows[0];
  if (!row || row.redirect_uris.length === 0) return undefined;
  return {
    clientId,
    name: row.name,
    publicClient: row.public_client,
    redirectUris: row.redirect_uris,
    scopes: row.scopes.split(' ').filter(Boolean),
  };
}

/**
 * The app at the token endpoint: a public app names itself (PKCE proves it is the one that
 * asked); a confidential one must also prove its secret. Either way one answer for failure.
 */
export async function authenticateAppClient(
  db: SqlExecutor,
  clientId: string,
  secret: string | undefined,
): Promise<AppClient> {
  const client = await findAppClient(db, clientId);
  const refused = new OAuthError('invalid_client', 'Invalid client credentials', 401);
  if (!client || client.publicClient !== (secret === undefined)) throw refused;
  if (secret !== undefined)
    await authenticateClient(db, clientId, secret).catch(() => Promise.reject(refused));
  return client;
}

/**
 * What an app gets: each requested resource scope must be within the app's allowance and the
 * user's own scopes (an app never gets more than its user has); offline/online_access only if
 * the app may ask for it. Unknown scopes (`openid`, `launch/patient`) are not granted.
 */
export function grantAppScopes(requested: string[], clientScopes: string[], userScopes: string[]): string[] {
  const resource = requested.filter((scope) => parseScope(scope) !== undefined);
  if (resource.length === 0) return [];
  // grantScopes answers "everything allowed" for an empty request: stop before that can happen.
  const forApp = grantScopes(resource, clientScopes);
  const granted = forApp.length === 0 ? [] : grantScopes(forApp, userScopes);
  if (granted.length === 0) return [];
  const refresh = REFRESH_SCOPES.find((scope) => requested.includes(scope) && clientScopes.includes(scope));
  return refresh ? [...granted, refresh] : granted;
}
