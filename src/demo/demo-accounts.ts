import type { SqlExecutor } from '../store/index.ts';
import { upsertAppClient, upsertClient, upsertUser, type AppClientSpec } from '../access/index.ts';

/**
 * The demo clinic's accounts (embedded database only, never server PostgreSQL): a system
 * client, one staff member per role the articles name, a public SMART app, and Maya's portal
 * account (created with the demo clinic, since her record must exist first).
 */
export const DEMO_CLIENT = { clientId: 'demo-client', secret: 'demo-secret' };
export const DEMO_PASSWORD = 'demo-password';

const frontDeskScopes = [
  'Patient.cruds',
  'RelatedPerson.cruds',
  'Appointment.cruds',
  // Booking claims a Slot and check-in opens an Encounter (both in the role matrix's front desk).
  'Encounter.crs',
  'Schedule.rs',
  'Slot.cruds',
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
  {
    email: 'manager@demo.clinic',
    displayName: 'Max Manager',
    roles: ['practice-manager'],
    scopes: ['user/*.cruds'],
  },
  { email: 'admin@demo.clinic', displayName: 'Ada Admin', roles: ['admin'], scopes: ['user/*.cruds'] },
];

/**
 * Maya's portal account: created with the demo clinic (her record must exist first). She may
 * also sign in with a code sent to her email or to her mobile (the number on her GP record).
 */
export const DEMO_PATIENT = {
  email: 'maya.okafor@example.com',
  phone: '+1-541-555-2674',
  displayName: 'Maya Okafor',
  roles: ['patient'],
  scopes: ['patient/*.cruds'],
};

/** A public demo app for trying the authorization code flow with PKCE. */
export const DEMO_APP_CLIENT: AppClientSpec = {
  clientId: 'demo-app',
  name: 'Demo SMART app (public, PKCE)',
  redirectUris: ['http://localhost:3000/callback'],
  scopes: ['user/*.rs', 'offline_access', 'online_access'],
};

/** Creates or updates the demo system client, staff and app. */
export async function provisionDemoAccounts(db: SqlExecutor): Promise<void> {
  await upsertClient(db, {
    ...DEMO_CLIENT,
    name: 'Demo system client',
    scopes: ['system/*.cruds'],
    roles: ['integration'],
  });
  for (const user of DEMO_USERS) await upsertUser(db, { ...user, password: DEMO_PASSWORD });
  // A public SMART app, to try the authorization code flow with PKCE.
  await upsertAppClient(db, DEMO_APP_CLIENT);
}
