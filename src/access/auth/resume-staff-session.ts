import type { SqlExecutor } from '../../store/index.ts';
import type { Principal } from '../principal.ts';
import { useSession } from './sessions.ts';

export interface ResumedSession {
  principal: Principal;
  sessionId: string;
  /** Seconds left before the session's absolute limit. */
  remainingSeconds: number;
}

/**
 * A live staff sign-in session (not an app grant) and its user as they are now — a role
 * removed since sign-in is removed from the new token. Using the session keeps it alive, as
 * any request with its token does. Undefined when the session ended (idle, absolute limit,
 * logout) or the account is gone.
 */
export async function resumeStaffSession(
  db: SqlExecutor,
  sessionId: string,
): Promise<ResumedSession | undefined> {
  const session = await useSession(db, sessionId);
  if (!session || session.kind !== 'sign-in' || session.client_id) return undefined;
  const result = await db.query<{
    display_name: string;
    roles: string[];
    scopes: string;
    patient_id: string | null;
  }>('SELECT display_name, roles, scopes, patient_id FROM staff_user WHERE id = $1', [session.user_id]);
  const user = result.rows[0];
  if (!user) return undefined;
  const principal: Principal = {
    kind: 'user',
    id: session.user_id,
    display: user.display_name,
    roles: user.roles,
    scopes: user.scopes.split(' ').filter(Boolean),
    ...(user.patient_id ? { patient: user.patient_id } : {}),
  };
  return { principal, sessionId, remainingSeconds: session.remaining_seconds };
}
