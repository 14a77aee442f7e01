import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../kernel/config.ts';
import { openConfiguredDatabase } from './open-configured-database.ts';
import { createLogger, type Logger } from '../kernel/logger.ts';
import { createFhirRepository, type FhirRepository, type SqlDatabase } from '../store/index.ts';
import {
  loadSigningKey,
  provisionAccounts,
  scopeRepository,
  stopArgon2Pool,
  servicePrincipal,
} from '../access/index.ts';
import { buildApp } from './build-app.ts';
import { provisionDemoAccounts } from '../demo/index.ts';
import { loadModelEngine } from '../identity/index.ts';
import { setBackgroundShare, startBackgroundWorker, type BackgroundWorker } from '../store/index.ts';
import { startMllpListener, type MllpOptions } from './mllp-listener.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import type { Hl7v2Deps } from '../ingest/index.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { loadDefaultCatalog } from '../journey/index.ts';
import { startReactions, type ReactionDeps, type Reactions } from './start-reactions.ts';
import { startSignInCodes } from './sign-in-code-service.ts';
import { startExports } from './start-exports.ts';

export interface Platform {
  /** Where the HTTP API listens, e.g. http://localhost:8080. */
  url: string;
  config: Config;
  db: SqlDatabase;
  /** The unscoped store, for in-process callers of the composition root (seeding, CLI). */
  repository: FhirRepository;
  /** Whether demo accounts were provisioned (embedded database without an admin client). */
  demoAccounts: boolean;
  logger: Logger;
  /** Where the HL7 v2 MLLP listener listens. */
  mllpPort: number;
  /** Event subscribers and jobs (identity match-on-write, …); `drain()` settles them in tests. */
  worker: BackgroundWorker;
  stop(): Promise<void>;
}

/**
 * The composition root (house rule 1): opens the database (embedded PGlite unless
 * DATABASE_URL is set) and migrates it, provisions accounts, builds the store and the HTTP
 * app, and listens. `stop()` undoes each step in reverse.
 */
export interface PlatformOptions {
  logger?: Logger;
  /** "Now" for routes, reactions and HL7 v2 (default: the system clock). */
  clock?: Clock;
}

export async function startPlatform(input: Config, options: PlatformOptions = {}): Promise<Platform> {
  const config = input.port === 0 ? await withFreePort(input) : input;
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = await openConfiguredDatabase(config, logger);
  // What has been started, undone in reverse by stop() — or at once when a later step fails
  // (a port in use), so a failed start leaves nothing running and the process can exit.
  const started: (() => Promise<void>)[] = [() => db.close(), () => stopArgon2Pool()];
  const stop = async () => {
    for (const undo of started.reverse().splice(0)) await undo();
  };
  try {
    const runtime = { logger, clock: options.clock ?? systemClock };
    const { repository, demo, hl7, app, engine, exports, signInCodes } = await compose(config, db, runtime);
    // Started last (below), stopped in this place: after the listeners and what serves them.
    const reactions: { started?: Reactions } = {};
    started.push(async () => reactions.started?.stop());
    started.push(() => exports.stop());
    started.push(() => signInCodes.stop());
    started.push(() => app.close());
    const mllp = await startListeners(app, { config, hl7, logger });
    started.push(() => mllp.stop());
    // After the listeners: the reactions' first rounds (every lane polls at once, on PGlite in
    // this very event loop) would otherwise run inside Fastify's start, whose plugins must load
    // within its pluginTimeout — under load that took the static files' plugin past 10 s.
    const reactionDeps = { config, db, repository, engine, ...runtime };
    const { worker } = (reactions.started = startConfiguredReactions(reactionDeps));
    return {
      url: config.baseUrl,
      config,
      db,
      repository,
      demoAccounts: demo,
      logger,
      mllpPort: mllp.port,
      worker,
      stop,
    };
  } catch (error) {
    await stop().catch((problem: unknown) => logger.warn({ err: problem }, 'stopping a failed start'));
    throw error;
  }
}

/** HTTP, then MLLP (a failed start closes the HTTP listener: its undo is registered first). */
async function startListeners(
  app: FastifyInstance,
  { config, hl7, logger }: { config: Config; hl7: Hl7v2Deps; logger: Logger },
) {
  const { host, port, mllpPort } = config;
  await listen(app.listen({ port, host }), { what: 'HTTP', env: 'PORT', host, port });
  const mllpListening = startMllpListener(mllpOptions(config, hl7, logger));
  return listen(mllpListening, { what: 'MLLP', env: 'MLLP_PORT', host, port: mllpPort });
}

/** Accounts, the store, HL7 v2 deps, reactions and the HTTP app: everything but the listeners. */
async function compose(config: Config, db: SqlDatabase, runtime: { logger: Logger; clock: Clock }) {
  const { logger, clock } = runtime;
  const key = await loadSigningKey(db, config.jwtSecret);
  const { demo } = await provisionAccounts(db, {
    adminClientId: config.adminClientId,
    adminClientSecret: config.adminClientSecret,
    adminClientJwks: config.adminClientJwks,
    adminClientJwksUri: config.adminClientJwksUri,
    embedded: !config.databaseUrl,
  });
  if (demo) await provisionDemoAccounts(db);
  const repository = createFhirRepository(db, { baseUrl: `${config.baseUrl}/fhir` });
  // The active trained model version, or the hand-set weights when none is active.
  const engine = await loadModelEngine(db, (problem) => logger.warn(problem));
  const tokens = {
    issuer: config.baseUrl,
    audience: `${config.baseUrl}/fhir`,
    ttlSeconds: config.tokenTtlSeconds,
    key,
  };
  // HL7 v2 writes pass the same checkpoint as API writes, as the integration principal.
  const hl7Repository = scopeRepository(repository, {
    principal: hl7Listener,
    context: { requestId: 'hl7v2' },
    auditDb: db,
  });
  const hl7 = { db, repository: hl7Repository, clock, logger };
  const catalog = loadDefaultCatalog();
  const exports = startExports({ repository, db, config, clock, logger });
  const signInCodes = startSignInCodes({ db, config, logger, key });
  const deps = { repository, db, tokens, config, logger, engine, catalog, clock, exports, signInCodes };
  const app = buildApp(deps, hl7);
  return { repository, demo, hl7, app, engine, exports, signInCodes };
}

/** The reactions of this process, or none (BACKGROUND_WORKER=off: `throughline worker` processes react). */
function startConfiguredReactions(deps: ReactionDeps): Reactions {
  const { config, db, logger } = deps;
  // The reactions beside the requests take this share of the event loop while any is in flight.
  setBackgroundShare(config.backgroundSharePercent / 100);
  if (config.backgroundWorker) return startReactions(deps);
  if (!config.databaseUrl)
    // Allowed (benchmarks of ingest alone), but nothing else can reach an embedded database.
    logger.warn('BACKGROUND_WORKER=off on the embedded database: identity and journeys will not react');
  return idleReactions(db);
}

const hl7Listener = servicePrincipal({ id: 'hl7v2-listener', display: 'HL7 v2 listener' });

function mllpOptions(config: Config, deps: Hl7v2Deps, logger: Logger): MllpOptions {
  const tls =
    config.mllpTlsCertFile && config.mllpTlsKeyFile
      ? { certFile: config.mllpTlsCertFile, keyFile: config.mllpTlsKeyFile }
      : undefined;
  return {
    port: config.mllpPort,
    host: config.host,
    deps,
    logger,
    tls,
    maxConnections: config.mllpMaxConnections,
    maxFrameBytes: config.mllpMaxFrameBytes,
    frameTimeoutMs: config.mllpFrameTimeoutSeconds * 1000,
  };
}

/** A listener that cannot bind is a coded error that says which port and which variable to change. */
async function listen<T>(
  listening: Promise<T>,
  where: { what: string; env: string; host: string; port: number },
): Promise<T> {
  try {
    return await listening;
  } catch (error) {
    const { code } = error as { code?: string };
    const at = `${where.host}:${where.port}`;
    const why = code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${code ?? String(error)})`;
    throw new ThroughlineError('LISTEN_FAILED', `${where.what} address ${at} ${why}: set ${where.env}`, {
      cause: error,
    });
  }
}

/**
 * BACKGROUND_WORKER=off: this process reacts to nothing (`throughline worker` processes do);
 * `drain()` answers at once, so callers that settle the platform still work.
 */
function idleReactions(db: SqlDatabase): Reactions {
  const worker = startBackgroundWorker(db, { pollMs: 0 });
  return { worker, stop: () => worker.stop() };
}

/** Port 0 means "any free port" (tests): find one first, since the base URL names the port. */
async function withFreePort(config: Config): Promise<Config> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  return { ...config, port, mllpPort: 0, host: '127.0.0.1', baseUrl: `http://127.0.0.1:${port}` };
}
