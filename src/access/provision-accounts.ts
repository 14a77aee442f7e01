import type { SqlExecutor } from '../store/index.ts';
import type { JSONWebKeySet } from 'jose';
import { upsertClient } from './accounts.ts';

export interface ProvisionSettings {
  adminClientId?: string;
  adminClientSecret?: string;
  /** The admin client's JSON Web Key Set (SMART Backend Services), as JSON text. */
  adminClientJwks?: string;
  adminClientJwksUri?: string;
  /** Demo accounts exist only on the embedded database, never on server PostgreSQL. */
  embedded: boolean;
}

/**
 * Creates or updates the configured admin client. Without one, on the embedded database, the
 * answer says the demo accounts are wanted (`demo`).
 */
export async function provisionAccounts(
  db: SqlExecutor,
  settings: ProvisionSettings,
): Promise<{ demo: boolean }> {
  if (settings.adminClientId && settings.adminClientSecret) {
    await upsertClient(db, {
      clientId: settings.adminClientId,
      secret: settings.adminClientSecret,
      name: 'Administrator',
      scopes: ['system/*.cruds'],
      roles: ['admin'],
      ...(settings.adminClientJwks ? { jwks: JSON.parse(settings.adminClientJwks) as JSONWebKeySet } : {}),
      ...(settings.adminClientJwksUri ? { jwksUri: settings.adminClientJwksUri } : {}),
    });
    return { demo: false };
  }
  // The demo accounts themselves are the demo module's (src/demo), created by the composition root.
  return { demo: settings.embedded };
}
