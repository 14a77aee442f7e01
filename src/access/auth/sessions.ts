import { randomBytes } from 'node:crypto';
import type { SqlExecutor } from '../../store/index.ts';

/**
 * Server-side sessions (`auth_session`). A staff sign-in opens a `sign-in` session; an app
 * grant opens an `online` or `offline` one under it (the refresh-token family). Access tokens
 * carry the id as `sid`, so ending the row ends every token issued for it.
 */
export type SessionKind = 'sign-in' | 'online' | 'offline';

export interface NewSession {
  userId: string;
  kind: SessionKind;
  idleSeconds: number;
  /** Absolute limit from now. */
  maxSeconds: number;
  parentId?: string;
  clientId?: string;
  scope?: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  kind: SessionKind;
  client_id: string | null;
  scope: string;
  /** Seconds left before the absolute limit. */
  remaining_seconds: number;
}

/** Tokens are checked against the row on every request; `last_seen_at` is written at most this often. */
const TOUCH_EVERY_SECONDS = 30;

export async function openSession(db: SqlExecutor, spec: NewSession): Promise<string> {
  const id = randomBytes(18).toString('base64url');
  await db.query(
    `INSERT INTO auth_session (id, user_id, kind, parent_id, client_id, scope, idle_seconds, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
    [
      id,
      spec.userId,
      spec.kind,
      spec.parentId ?? null,
      spec.clientId ?? null,
      spec.scope ?? '',
      spec.idleSeconds,
      spec.maxSeconds,
    ],
  );
  return id;
}

/**
 * The session if it is live — not revoked, within its absolute limit, used within its idle
 * timeout — and marks it used. One primary-key read per request; the write that keeps it
 * alive happens at most every 30 seconds, so busy clients do not write on every call.
 */
export async function useSession(db: SqlExecutor, id: string): Promise<SessionRow | undefined> {
  const result = await db.query<SessionRow & { stale: boolean }>(
    `SELECT id, user_id, kind, client_id, scope,
       extract(epoch FROM expires_at - now())::integer AS remaining_seconds,
       last_seen_at < now() - make_interval(secs => $2) AS stale
     FROM auth_session
     WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()
       AND last_seen_at > now() - make_interval(secs => idle_seconds)`,
    [id, TOUCH_EVERY_SECONDS],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  if (row.stale) await db.query('UPDATE auth_session SET last_seen_at = now() WHERE id = $1', [id]);
  const { stale: _stale, ...session } = row;
  return session;
}

/**
 * Ends a session and the `online` app grants made under it (they last only while the user is
 * signed in); `offline` grants outlive the sign-in by design and are revoked on their own.
 */
export async function revokeSession(db: SqlExecutor, id: string, reason: string): Promise<number> {
  const result = await db.query(
    `UPDATE auth_session SET revoked_at = now(), revoked_reason = $2
     WHERE (id = $1 OR (parent_id = $1 AND kind = 'online')) AND revoked_at IS NULL`,
    [id, reason],
  );
  return result.affectedRows ?? 0;
}
