import { parseArgs } from 'node:util';
import { parseConfig } from '../kernel/config.ts';
import { startPlatform, type Platform } from '../server/index.ts';
import { upsertUser } from '../access/index.ts';
import {
  DEMO_CLIENT,
  DEMO_PASSWORD,
  DEMO_PATIENT,
  DEMO_USERS,
  hasPatients,
  seedDemoClinic,
  seedMayasDependant,
} from '../demo/index.ts';
import { runUntilSignal } from './until-signal.ts';
import { buildWebApp } from './build-web-app.ts';
import { createLogger } from '../kernel/logger.ts';
import { systemClock } from '../kernel/clock.ts';

const usage = `usage: throughline start [--no-seed]

Starts the platform: the FHIR API on $PORT (default 8080), on the embedded database in
$DATA_DIR unless DATABASE_URL is set. An empty embedded database gets the demo clinic
(unless --no-seed), so there is something to look at.`;

/** An empty embedded database gets the demo clinic, so a first start has something to show. */
async function seedEmptyEmbeddedDatabase(platform: Platform): Promise<void> {
  const { logger } = platform;
  logger.info('empty embedded database: generating the demo clinic (once; takes a few seconds)');
  const seeded = await seedDemoClinic(platform.repository, { patients: 300, seed: 1 });
  logger.info({ resources: seeded.total }, 'demo clinic ready');
  // Maya (seeds/000) can sign in to see her own record, as a patient of the demo clinic.
  if (platform.demoAccounts) {
    const mayaAccount = await upsertUser(platform.db, {
      ...DEMO_PATIENT,
      password: DEMO_PASSWORD,
      patient: seeded.truth.maya.gpPatientId,
    });
    // Her daughter Ada, whose record Maya may act on in the portal (a grant the clinic made).
    await seedMayasDependant(platform.repository, { mayaAccount, now: systemClock.now() });
  }
}

/** Where the platform listens, and the demo accounts to sign in with when it has them. */
function logRunning(platform: Platform, embedded: boolean): void {
  platform.logger.info(
    {
      app: platform.url,
      url: `${platform.url}/fhir`,
      database: embedded ? `embedded (${platform.config.dataDir})` : 'PostgreSQL',
    },
    'Throughline is running',
  );
  if (platform.demoAccounts) {
    platform.logger.info(
      {
        client: `${DEMO_CLIENT.clientId} / ${DEMO_CLIENT.secret}`,
        staff: DEMO_USERS.map((user) => user.email),
        patient: DEMO_PATIENT.email,
        staffPassword: DEMO_PASSWORD,
      },
      'demo accounts (embedded database only)',
    );
  }
}

/**
 * `throughline start`: run until SIGINT/SIGTERM, then stop cleanly within SHUTDOWN_GRACE_SECONDS.
 * A start that cannot listen (port in use) fails at once with exit code 1, having closed what it opened.
 */
export async function startCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'no-seed': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const config = parseConfig();
  const logger = createLogger(config.logLevel);
  buildWebApp(logger);
  const platform = await startPlatform(config, { logger });
  const embedded = !platform.config.databaseUrl;
  if (embedded && !values['no-seed'] && !(await hasPatients(platform.repository)))
    await seedEmptyEmbeddedDatabase(platform);
  logRunning(platform, embedded);
  await runUntilSignal({
    stop: platform.stop,
    logger: platform.logger,
    graceSeconds: platform.config.shutdownGraceSeconds,
  });
  return 0;
}
