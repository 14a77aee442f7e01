import { upsertClient, upsertUser } from '../../access/index.ts';
import { clientCredentialsToken } from './test-platform.ts';
import type { Platform } from '../start-platform.ts';

/** A patient (or proxy) signed in to the portal: a real account for the patient record, a real `/auth/login`. */
export async function patientToken(
  platform: Platform,
  patientId: string,
  role: 'patient' | 'proxy' = 'patient',
): Promise<string> {
  const email = `${role}-${patientId}@patients.test`.toLowerCase();
  await upsertUser(platform.db, {
    email,
    displayName: `${role} ${patientId}`,
    password: 'patient-password',
    roles: [role],
    scopes: ['patient/*.cruds'],
    patient: patientId,
  });
  return login(platform, email, 'patient-password');
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
  return login(platform, email, 'staff-password');
}

async function login(platform: Platform, email: string, password: string): Promise<string> {
  const response = await fetch(`${platform.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * A token for every role of the matrix: one-patient roles (patient, proxy) act for `ownPatient`
 * through a portal account, staff roles sign in.
 */
export async function tokensForEveryRole(
  platform: Platform,
  options: { roles: Record<string, { relation: string }>; ownPatient: string },
): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const [role, definition] of Object.entries(options.roles))
    tokens.set(
      role,
      definition.relation === 'own'
        ? await patientToken(platform, options.ownPatient, role as 'patient' | 'proxy')
        : await staffToken(platform, role),
    );
  return tokens;
}

/** A system client of its own with these roles and scopes, and a client-credentials token for it. */
export async function systemClientToken(
  platform: Platform,
  client: { clientId: string; roles: string[]; scopes: string[] },
): Promise<string> {
  const secret = `${client.clientId}-secret`;
  await upsertClient(platform.db, { ...client, secret, name: client.clientId });
  return clientCredentialsToken(platform.url, { clientId: client.clientId, secret });
}
