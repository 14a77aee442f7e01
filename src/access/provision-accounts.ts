import type { SqlExecutor } from '../store/index.ts';
import { upsertClient, upsertUser } from './accounts.ts';
import { DEMO_APP_CLIENT, upsertAppClient } from './auth/app-clients.ts';

export interface ProvisionSettings {
  adminClientId?: string;
  adminClientSecret?: string;
  /** Demo accounts exist only on the embedded database, never on server PostgreSQL. */
  embedded: boolean;
}

export const DEMO_CLIENT = { clientId: 'demo-client', secret: 'demo-secret' };
export const DEMO_PASSWORD = 'demo-password';

const frontDeskScopes = [
  'Patient.cruds',
  'RelatedPerson.cruds',
  'Appointment.cruds',
  'Schedule.rs',
  'Slot.rs',
  'Coverage.cruds',
  'Communication.cruds',
  'CommunicationRequest.cruds',
  'Task.cruds',
  'EpisodeOfCare.rs',
  'Flag.rs',
  'Consent.rs',
  'Practitioner.rs',
  'PractitionerRole.rs',
  'Organization.rs',
  'Location.rs',
  'HealthcareService.rs',
].map((scope) => `user/${scope}`);

/**
 * Demo staff. Scopes are a first cut of the role model (issue 5 makes roles data): the front
 * desk sees appointments and demographics but not lab results or diagnoses.
 */
export const DEMO_USERS = [
  {
    email: 'frontdesk@demo.clinic',
    displayName: 'Fran Front Desk',
    roles: ['front-desk'],
    scopes: frontDeskScopes,
  },
  {
    email: 'coordinator@demo.clinic',
    displayName: 'Cory Coordinator',
    roles: ['care-coordinator'],
    scopes: ['user/*.cruds'],
  },
  { email: 'nurse@demo.clinic', displayName: 'Nia Nurse', roles: ['nurse'], scopes: ['user/*.cruds'] },
  {
    email: 'doctor@demo.clinic',
    displayName: 'Dr. Dana Doctor',
    roles: ['physician'],
    scopes: ['user/*.cruds'],
  },
  { email: 'admin@demo.clinic', displayName: 'Ada Admin', roles: ['admin'], scopes: ['user/*.cruds'] },
];

/** Maya's portal account: created with the demo clinic (her record must exist first). */
export const DEMO_PATIENT = {
  email: 'maya.okafor@example.com',
  displayName: 'Maya Okafor',
  roles: ['patient'],
  scopes: ['patient/*.cruds'],
};

/** Creates or updates the configured admin client, and on the embedded database the demo accounts. */
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
    });
    return { demo: false };
  }
  if (!settings.embedded) return { demo: false };
  await upsertClient(db, {
    ...DEMO_CLIENT,
    name: 'Demo system client',
    scopes: ['system/*.cruds'],
    roles: ['integration'],
  });
  for (const user of DEMO_USERS) await upsertUser(db, { ...user, password: DEMO_PASSWORD });
  // A public SMART app, to try the authorization code flow with PKCE.
  await upsertAppClient(db, DEMO_APP_CLIENT);
  return { demo: true };
}
