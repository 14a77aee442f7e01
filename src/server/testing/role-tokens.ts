import { issueAccessToken, loadSigningKey, upsertUser } from '../../access/index.ts';
import { openSession } from '../../access/auth/sessions.ts';
import type { Platform } from '../start-platform.ts';

/**
 * A token for a patient app acting for one patient (SMART patient context). There is no patient
 * sign-in yet, so the test makes the account and the session a patient app's grant would carry.
 */
export async function patientToken(
  platform: Platform,
  patientId: string,
  role: 'patient' | 'proxy' = 'patient',
): Promise<string> {
  const email = `${role}-${patientId}@patients.test`.toLowerCase();
  const scopes = ['patient/*.cruds'];
  await upsertUser(platform.db, {
    email,
    displayName: `${role} ${patientId}`,
    password: 'patient-password',
    roles: [role],
    scopes,
  });
  const user = await platform.db.query<{ id: string }>('SELECT id FROM staff_user WHERE email = $1', [email]);
  const principal = {
    kind: 'user' as const,
    id: user.rows[0]!.id,
    display: role,
    roles: [role],
    scopes,
    patient: patientId,
  };
  const sessionId = await openSession(platform.db, {
    userId: principal.id,
    kind: 'online',
    idleSeconds: 600,
    maxSeconds: 3600,
  });
  const key = await loadSigningKey(platform.db, platform.config.jwtSecret);
  return issueAccessToken(
    { issuer: platform.url, audience: `${platform.url}/fhir`, ttlSeconds: 600, key },
    principal,
    { sessionId },
  );
}

/** A signed-in staff member with one role (a real account and a real `/auth/login`). */
export async function staffToken(platform: Platform, role: string): Promise<string> {
  const email = `${role}@staff.test`;
  await upsertUser(platform.db, {
    email,
    displayName: role,
    password: 'staff-password',
    roles: [role],
    scopes: ['user/*.cruds'],
  });
  const response = await fetch(`${platform.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'staff-password' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
