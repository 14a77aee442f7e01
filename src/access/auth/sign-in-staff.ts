import type { SqlExecutor } from '../../store/index.ts';
import { signIn } from '../accounts.ts';
import type { Principal } from '../principal.ts';
import type { AuthSettings } from './auth-settings.ts';
import { openSession } from './sessions.ts';
import { totpFactor } from './totp-factor.ts';

export interface StaffCredentials {
  email: string;
  password: string;
  /** The TOTP code; required once the user has enrolled one. */
  code?: string;
  /** The caller's address: lockout is per account and address. */
  address?: string;
}

export interface StaffSession {
  principal: Principal;
  sessionId: string;
}

/**
 * Password (Argon2id), then TOTP when enrolled, then a server-side session with the configured
 * idle timeout and absolute limit. Every failure is the same coded error (see `signIn`).
 */
export async function signInStaff(
  db: SqlExecutor,
  settings: AuthSettings,
  credentials: StaffCredentials,
): Promise<StaffSession> {
  const { email, password, address } = credentials;
  const principal = await signIn(db, { email, password, address }, totpFactor(db, credentials.code));
  return openSignInSession(db, settings, principal);
}

/** A sign-in session with the configured idle timeout and absolute limit, whatever proved who it is. */
export async function openSignInSession(
  db: SqlExecutor,
  settings: AuthSettings,
  principal: Principal,
): Promise<StaffSession> {
  const sessionId = await openSession(db, {
    userId: principal.id,
    kind: 'sign-in',
    idleSeconds: settings.sessionIdleSeconds,
    maxSeconds: settings.sessionMaxSeconds,
  });
  return { principal, sessionId };
}
