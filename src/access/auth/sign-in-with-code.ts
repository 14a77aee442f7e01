import { ThroughlineError } from '../../kernel/errors.ts';
import type { SqlExecutor } from '../../store/index.ts';
import { userPrincipal, type Principal } from '../principal.ts';
import type { AuthSettings } from './auth-settings.ts';
import { consumeSignInCode, type CodeKey } from './sign-in-codes.ts';
import type { SignInIdentifier } from './sign-in-identifier.ts';
import { openSignInSession, type StaffSession } from './sign-in-staff.ts';

/**
 * A patient's sign-in with the code she was sent: the code is spent, and a sign-in session
 * opens exactly as after a password (same limits, same tokens). Unknown identifier, wrong,
 * expired, spent or exhausted code all answer the same UNAUTHENTICATED.
 */
export async function signInWithCode(
  db: SqlExecutor,
  settings: AuthSettings,
  input: CodeKey & { identifier: SignInIdentifier; code: string },
): Promise<StaffSession> {
  const userId = await consumeSignInCode(db, input);
  const principal = userId ? await accountPrincipal(db, userId) : undefined;
  if (!principal) throw new ThroughlineError('UNAUTHENTICATED', 'Invalid or expired code');
  return openSignInSession(db, settings, principal);
}

async function accountPrincipal(db: SqlExecutor, userId: string): Promise<Principal | undefined> {
  const result = await db.query<{
    display_name: string;
    roles: string[];
    scopes: string;
    patient_id: string;
  }>(
    'SELECT display_name, roles, scopes, patient_id FROM staff_user WHERE id = $1 AND patient_id IS NOT NULL',
    [userId],
  );
  const user = result.rows[0];
  return user ? userPrincipal(userId, user) : undefined;
}
