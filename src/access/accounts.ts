import { ThroughlineError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import type { SqlExecutor } from '../store/index.ts';
import type { JSONWebKeySet } from 'jose';
import { checkClientJwks } from './auth/client-assertion.ts';
import { checkJwksUri } from './auth/client-key-sets.ts';
import { normalizePhone } from './auth/sign-in-identifier.ts';
import { hashSecret, verifySecret } from './passwords.ts';
import { clientPrincipal, userPrincipal, type Principal } from './principal.ts';

export interface ClientSpec {
  clientId: string;
  secret: string;
  name: string;
  scopes: string[];
  roles: string[];
  /**
   * SMART Backend Services: the public keys the client signs its assertions with. Left as it
   * was when absent (a secret rotation keeps the keys).
   */
  jwks?: JSONWebKeySet;
  /** Or the URL the client publishes its key set at (https; http only to loopback). */
  jwksUri?: string;
}

export interface UserSpec {
  email: string;
  displayName: string;
  password: string;
  roles: string[];
  scopes: string[];
  /** For patient and proxy accounts: the Patient record they act for (their SMART patient context). */
  patient?: string;
  /**
   * A patient account's mobile number (any punctuation, stored as E.164): she may ask for a
   * sign-in code by text message to it. Unique among accounts.
   */
  phone?: string;
}

const MAX_FAILED_SIGN_INS = 5;
const LOCKOUT_MINUTES = 15;
const MAX_LOCKOUT_MINUTES = 24 * 60;
// Verified against when the account does not exist, so both paths cost the same time.
const decoyHash = hashSecret('decoy-password-never-matches');

/** Creates the client or updates its secret, scopes and roles. */
export async function upsertClient(db: SqlExecutor, spec: ClientSpec): Promise<void> {
  await db.query(
    `INSERT INTO oauth_client (client_id, secret_hash, name, scopes, roles, jwks, jwks_uri)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, name = EXCLUDED.name,
       scopes = EXCLUDED.scopes, roles = EXCLUDED.roles,
       jwks = CASE WHEN $7::text IS NULL THEN coalesce(EXCLUDED.jwks, oauth_client.jwks) END,
       jwks_uri = CASE WHEN $6::text IS NULL THEN coalesce(EXCLUDED.jwks_uri, oauth_client.jwks_uri) END,
       updated_at = now()`,
    [
      spec.clientId,
      await hashSecret(spec.secret),
      spec.name,
      spec.scopes.join(' '),
      spec.roles,
      spec.jwks ? JSON.stringify(checkClientJwks(spec.jwks)) : null,
      spec.jwksUri ? checkJwksUri(spec.jwksUri) : null,
    ],
  );
}

/** Creates the account or updates it (by email); answers its id (what a proxy grant names). */
export async function upsertUser(db: SqlExecutor, spec: UserSpec): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO staff_user (id, email, display_name, password_hash, roles, scopes, patient_id, phone)
     VALUES ($1, lower($2), $3, $4, $5, $6, $7, $8)
     ON CONFLICT (email) DO UPDATE SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash,
       roles = EXCLUDED.roles, scopes = EXCLUDED.scopes, patient_id = EXCLUDED.patient_id, phone = EXCLUDED.phone
     RETURNING id`,
    [
      newId(),
      spec.email,
      spec.displayName,
      await hashSecret(spec.password),
      spec.roles,
      spec.scopes.join(' '),
      spec.patient ?? null,
      spec.phone === undefined ? null : accountPhone(spec.phone),
    ],
  );
  return result.rows[0]!.id;
}

function accountPhone(raw: string): string {
  const phone = normalizePhone(raw);
  if (!phone) throw new ThroughlineError('INVALID_REQUEST', `Not a phone number in E.164 form: ${raw}`);
  return phone;
}

export async function authenticateClient(
  db: SqlExecutor,
  clientId: string,
  secret: string,
): Promise<Principal> {
  const result = await db.query<{ secret_hash: string; name: string; scopes: string; roles: string[] }>(
    'SELECT secret_hash, name, scopes, roles FROM oauth_client WHERE client_id = $1',
    [clientId],
  );
  const row = result.rows[0];
  const valid = await verifySecret(secret, row?.secret_hash ?? (await decoyHash));
  if (!row || !valid) throw new ThroughlineError('UNAUTHENTICATED', 'Invalid client credentials');
  return clientPrincipal(clientId, row);
}

export interface SignInCredentials {
  email: string;
  password: string;
  /** Where the attempt comes from: lockout is per account and address. */
  address?: string;
}

interface UserRow {
  id: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  scopes: string;
  locked: boolean;
  patient_id: string | null;
}

/**
 * Staff sign-in. Unknown email, wrong password and a locked account all answer the same
 * "Invalid email or password", so the answer reveals nothing about which accounts exist.
 * `secondFactor` (TOTP, `auth/totp-factor.ts`) runs once the password is right; its failure
 * answers the same and counts toward lockout like a wrong password.
 */
export async function signIn(
  db: SqlExecutor,
  credentials: SignInCredentials,
  secondFactor?: (userId: string) => Promise<boolean>,
): Promise<Principal> {
  const { email, password } = credentials;
  const address = credentials.address ?? '';
  const result = await db.query<UserRow>(
    `SELECT u.id, u.display_name, u.password_hash, u.roles, u.scopes, u.patient_id,
       coalesce(f.locked_until > now(), false) AS locked
     FROM staff_user u LEFT JOIN sign_in_failure f ON f.user_id = u.id AND f.address = $2
     WHERE u.email = lower($1)`,
    [email, address],
  );
  const row = result.rows[0];
  const valid = await verifySecret(password, row?.password_hash ?? (await decoyHash));
  const passed = row !== undefined && valid && !row.locked && (await (secondFactor?.(row.id) ?? true));
  if (!row || !passed) {
    if (row) await recordFailure(db, row.id, address);
    throw new ThroughlineError('UNAUTHENTICATED', 'Invalid email or password');
  }
  await db.query('DELETE FROM sign_in_failure WHERE user_id = $1 AND address = $2', [row.id, address]);
  return userPrincipal(row.id, row);
}

/**
 * Counts a failure of one account from one address; from the 5th on, each locks the account
 * FOR THAT ADDRESS, for 15 minutes doubling with every further 5 (30, 60, … at most a day), so
 * guessing from one place slows down exponentially while staff elsewhere still sign in. The
 * count resets on a successful sign-in from that address.
 */
async function recordFailure(db: SqlExecutor, userId: string, address: string): Promise<void> {
  await db.query(
    `INSERT INTO sign_in_failure AS f (user_id, address, failed_attempts) VALUES ($1, $2, 1)
     ON CONFLICT (user_id, address) DO UPDATE SET failed_attempts = f.failed_attempts + 1,
       last_failed_at = now(),
       locked_until = CASE WHEN f.failed_attempts + 1 >= $3
         THEN now() + make_interval(mins => least($4 * power(2, (f.failed_attempts + 1) / $3 - 1), $5)::integer)
         ELSE f.locked_until END`,
    [userId, address, MAX_FAILED_SIGN_INS, LOCKOUT_MINUTES, MAX_LOCKOUT_MINUTES],
  );
}

/** A staff account (not a patient's or proxy's) with this id: a worklist task may be assigned to it. */
export async function isStaffUserId(db: SqlExecutor, id: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM staff_user WHERE id = $1 AND patient_id IS NULL', [id]);
  return result.rows.length > 0;
}
