// Public face of the demo module (layer 4, beside cli): the demo clinic generator and its
// accounts. Only the composition root (server, cli) and benchmarks use it.
export {
  generateDemoClinic,
  type DemoClinic,
  type DemoClinicOptions,
  type IdentityTruth,
} from './generate-demo-clinic.ts';
export { seedDemoClinic, hasPatients, type SeedOptions, type SeedResult } from './seed-demo-clinic.ts';
export {
  provisionDemoAccounts,
  DEMO_CLIENT,
  DEMO_USERS,
  DEMO_PASSWORD,
  DEMO_PATIENT,
  DEMO_APP_CLIENT,
} from './demo-accounts.ts';
export { seedMayasDependant, DEMO_DEPENDANT } from './maya-dependant.ts';
