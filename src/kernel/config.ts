import { resolve } from 'node:path';
import { ThroughlineError } from './errors.ts';
import { DEFAULT_MAX_JSON_DEPTH } from './safe-json.ts';
import {
  httpUrl,
  integerField,
  optionalField,
  onOff,
  optional,
  timeZone,
  type FieldSpec,
} from './config-fields.ts';
import { engagementChecks, engagementSchema, type EngagementConfig } from './engagement-config.ts';
import { connectorsSchema, type ConnectorsConfig } from './connectors-config.ts';
import { resultHoldSchema, type ResultHoldConfig } from './result-hold-config.ts';

/**
 * The one configuration schema (house rule 6): parsed once at start from the environment,
 * reporting every problem at once. Nothing else reads `process.env`.
 */
export interface Config extends EngagementConfig, ConnectorsConfig, ResultHoldConfig {
  /** Server PostgreSQL connection string; unset → embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Where the embedded database and other local state live. */
  dataDir: string;
  port: number;
  host: string;
  /** Public base URL of the server, used in Bundle links and discovery documents. */
  baseUrl: string;
  mllpPort: number;
  /** PEM certificate and key files: when both are set the MLLP listener speaks TLS. */
  mllpTlsCertFile: string | undefined;
  mllpTlsKeyFile: string | undefined;
  logLevel: string;
  adminClientId: string | undefined;
  adminClientSecret: string | undefined;
  /**
   * SMART Backend Services: the admin client's public keys (a JSON Web Key Set, inline JSON), so
   * it may also authenticate with an RS384/ES384-signed assertion instead of its secret.
   */
  adminClientJwks: string | undefined;
  adminClientJwksUri: string | undefined;
  /** Secret for signing access tokens (HS256). Generated per data dir when unset. */
  jwtSecret: string | undefined;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  /** Deepest nesting of brackets accepted in JSON (request bodies, import files): 400 above. */
  maxJsonDepth: number;
  /** Most entries a Bundle posted to `POST /fhir` may hold (413 above); the CLI importer is not limited. */
  maxBundleEntries: number;
  /** A client must send all request headers within this many seconds (slow-header clients are cut off). */
  headersTimeoutSeconds: number;
  /** A whole request (headers and body) must arrive within this many seconds. */
  requestTimeoutSeconds: number;
  /** An idle keep-alive connection is closed after this many seconds. */
  keepAliveTimeoutSeconds: number;
  /** After SIGTERM/SIGINT, a stop that takes longer than this ends the process anyway. */
  shutdownGraceSeconds: number;
  /** Most MLLP connections open at once; beyond it new ones are closed at once. */
  mllpMaxConnections: number;
  /** Largest MLLP frame (HL7 message) in bytes: larger ones are refused, never buffered. */
  mllpMaxFrameBytes: number;
  /** An MLLP frame that has started must end within this many seconds, or the connection is closed. */
  mllpFrameTimeoutSeconds: number;
  /** Access-token lifetime in seconds. */
  tokenTtlSeconds: number;
  /** A staff session unused this long ends (its tokens stop working). */
  sessionIdleMinutes: number;
  /** A staff session ends this long after sign-in, however busy. */
  sessionMaxHours: number;
  /** An app's offline_access grant (its refresh-token family) lasts this long. */
  refreshTokenTtlDays: number;
  /** External OpenID Connect provider whose access tokens are accepted (all three or none). */
  oidcIssuer: string | undefined;
  oidcJwksUrl: string | undefined;
  oidcAudience: string | undefined;
  /** Claim of the external token holding the roles; dots walk objects (`realm_access.roles`). */
  oidcRolesClaim: string;
  /**
   * Whether this process also runs the background worker (identity match-on-write, merge
   * requests, the journey engine). `off` for API/MLLP-only nodes of a scaled deployment, which
   * run `throughline worker` processes elsewhere.
   */
  backgroundWorker: boolean;
  /** The share of Node's event loop the reactions take while requests are in flight (percent). */
  backgroundSharePercent: number;
  /** Sign-in, token and authorize attempts a minute from one address for one account or client. */
  authRateLimitPerAccount: number;
  /** The same endpoints, attempts a minute from one address over all accounts and clients. */
  authRateLimitPerAddress: number;
  /** Sign-in codes asked for one email or number in 15 minutes, from any address. */
  signInCodeRequestsPerIdentifier: number;
  /** Codes tried for one email or number in 15 minutes, from any address. */
  signInCodeVerifiesPerIdentifier: number;
  /** Code requests and tries from one address in 15 minutes, over all identifiers. */
  signInCodeAttemptsPerAddress: number;
  /** IANA time zone of opening hours where a Location names none (scheduling). */
  clinicTimeZone: string;
  /** Minutes after its start a booked appointment without check-in becomes a no-show (0: never). */
  noShowAfterMinutes: number;
}

type Env = Record<string, string | undefined>;

function postgresUrl(raw: string | undefined): string | undefined {
  const value = optional(raw);
  if (value !== undefined && !/^postgres(ql)?:\/\//.test(value)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return value;
}

const schema: { [K in Exclude<keyof Config, 'baseUrl'>]: FieldSpec<Config[K]> } = {
  ...engagementSchema,
  ...connectorsSchema,
  ...resultHoldSchema,
  databaseUrl: { env: 'DATABASE_URL', parse: postgresUrl },
  dataDir: { env: 'DATA_DIR', parse: (raw) => resolve(optional(raw) ?? './data') },
  port: integerField('PORT', { fallback: 8080, min: 0, max: 65535 }),
  // Loopback unless asked: a fresh install is not reachable from the network by accident.
  host: { env: 'HOST', parse: (raw) => optional(raw) ?? '127.0.0.1' },
  mllpPort: integerField('MLLP_PORT', { fallback: 2575, min: 0, max: 65535 }),
  mllpTlsCertFile: optionalField('MLLP_TLS_CERT_FILE'),
  mllpTlsKeyFile: optionalField('MLLP_TLS_KEY_FILE'),
  logLevel: { env: 'LOG_LEVEL', parse: (raw) => optional(raw) ?? 'info' },
  adminClientId: optionalField('ADMIN_CLIENT_ID'),
  adminClientSecret: optionalField('ADMIN_CLIENT_SECRET'),
  adminClientJwks: optionalField('ADMIN_CLIENT_JWKS'),
  adminClientJwksUri: { env: 'ADMIN_CLIENT_JWKS_URI', parse: httpUrl('ADMIN_CLIENT_JWKS_URI') },
  jwtSecret: optionalField('JWT_SECRET'),
  maxBodyBytes: integerField('MAX_BODY_BYTES', { fallback: 64 * 1024 * 1024, min: 1024, max: 2 ** 31 }),
  maxJsonDepth: integerField('MAX_JSON_DEPTH', { fallback: DEFAULT_MAX_JSON_DEPTH, min: 2, max: 1000 }),
  maxBundleEntries: integerField('MAX_BUNDLE_ENTRIES', { fallback: 1000, min: 1, max: 1_000_000 }),
  headersTimeoutSeconds: integerField('HTTP_HEADERS_TIMEOUT_SECONDS', { fallback: 30, min: 1, max: 3600 }),
  requestTimeoutSeconds: integerField('HTTP_REQUEST_TIMEOUT_SECONDS', { fallback: 300, min: 1, max: 86400 }),
  keepAliveTimeoutSeconds: integerField('HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', {
    fallback: 72,
    min: 1,
    max: 3600,
  }),
  shutdownGraceSeconds: integerField('SHUTDOWN_GRACE_SECONDS', { fallback: 10, min: 1, max: 3600 }),
  mllpMaxConnections: integerField('MLLP_MAX_CONNECTIONS', { fallback: 64, min: 1, max: 100_000 }),
  mllpMaxFrameBytes: integerField('MLLP_MAX_FRAME_BYTES', {
    fallback: 16 * 1024 * 1024,
    min: 1024,
    max: 2 ** 30,
  }),
  mllpFrameTimeoutSeconds: integerField('MLLP_FRAME_TIMEOUT_SECONDS', { fallback: 30, min: 1, max: 3600 }),
  tokenTtlSeconds: integerField('TOKEN_TTL_SECONDS', { fallback: 3600, min: 60, max: 86400 }),
  sessionIdleMinutes: integerField('SESSION_IDLE_MINUTES', { fallback: 30, min: 1, max: 1440 }),
  sessionMaxHours: integerField('SESSION_MAX_HOURS', { fallback: 12, min: 1, max: 168 }),
  refreshTokenTtlDays: integerField('REFRESH_TOKEN_TTL_DAYS', { fallback: 30, min: 1, max: 365 }),
  oidcIssuer: optionalField('OIDC_ISSUER'),
  oidcJwksUrl: { env: 'OIDC_JWKS_URL', parse: httpUrl('OIDC_JWKS_URL') },
  oidcAudience: optionalField('OIDC_AUDIENCE'),
  oidcRolesClaim: { env: 'OIDC_ROLES_CLAIM', parse: (raw) => optional(raw) ?? 'roles' },
  backgroundWorker: { env: 'BACKGROUND_WORKER', parse: onOff('BACKGROUND_WORKER', true) },
  backgroundSharePercent: integerField('BACKGROUND_SHARE_PERCENT', { fallback: 10, min: 1, max: 100 }),
  authRateLimitPerAccount: integerField('AUTH_RATE_LIMIT_PER_ACCOUNT', { fallback: 10, min: 1, max: 100000 }),
  authRateLimitPerAddress: integerField('AUTH_RATE_LIMIT_PER_ADDRESS', {
    fallback: 300,
    min: 1,
    max: 1000000,
  }),
  signInCodeRequestsPerIdentifier: integerField('SIGN_IN_CODE_REQUESTS_PER_IDENTIFIER', {
    fallback: 5,
    min: 1,
    max: 10000,
  }),
  signInCodeVerifiesPerIdentifier: integerField('SIGN_IN_CODE_VERIFIES_PER_IDENTIFIER', {
    fallback: 10,
    min: 1,
    max: 10000,
  }),
  signInCodeAttemptsPerAddress: integerField('SIGN_IN_CODE_ATTEMPTS_PER_ADDRESS', {
    fallback: 50,
    min: 1,
    max: 1000000,
  }),
  clinicTimeZone: { env: 'CLINIC_TIME_ZONE', parse: timeZone('CLINIC_TIME_ZONE') },
  noShowAfterMinutes: integerField('NO_SHOW_AFTER_MINUTES', { fallback: 0, min: 0, max: 1440 }),
};

/** Documentation of every variable, used by the README table and `throughline config`. */
export const configVariables = Object.values(schema).map((field) => field.env);

export function parseConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const parsed: Partial<Config> = {};
  for (const [key, field] of Object.entries(schema) as [keyof typeof schema, FieldSpec<unknown>][]) {
    try {
      (parsed as Record<string, unknown>)[key] = field.parse(env[field.env]);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (!optional(env.MLLP_TLS_CERT_FILE) !== !optional(env.MLLP_TLS_KEY_FILE)) {
    problems.push('MLLP_TLS_CERT_FILE and MLLP_TLS_KEY_FILE must be set together');
  }
  problems.push(...adminClientChecks(env));
  const oidc = [env.OIDC_ISSUER, env.OIDC_JWKS_URL, env.OIDC_AUDIENCE].map(optional);
  if (oidc.some((value) => value === undefined) && oidc.some((value) => value !== undefined)) {
    problems.push('OIDC_ISSUER, OIDC_JWKS_URL and OIDC_AUDIENCE must be set together');
  }
  const { headersTimeoutSeconds: headers, requestTimeoutSeconds: request } = parsed;
  if (headers !== undefined && request !== undefined && headers > request) {
    problems.push('HTTP_HEADERS_TIMEOUT_SECONDS must not be longer than HTTP_REQUEST_TIMEOUT_SECONDS');
  }
  problems.push(...engagementChecks(env));
  if (problems.length > 0) {
    throw new ThroughlineError('CONFIG_INVALID', `Invalid configuration:\n- ${problems.join('\n- ')}`, {
      issues: problems.map((message) => ({ message })),
    });
  }
  const config = parsed as Config;
  config.baseUrl = optional(env.BASE_URL) ?? `http://localhost:${config.port}`;
  return config;
}

/** The admin client's settings go together: id with secret, and at most one way to name its keys. */
function adminClientChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if ((env.ADMIN_CLIENT_ID === undefined) !== (env.ADMIN_CLIENT_SECRET === undefined)) {
    problems.push('ADMIN_CLIENT_ID and ADMIN_CLIENT_SECRET must be set together');
  }
  if (
    optional(env.ADMIN_CLIENT_JWKS) !== undefined &&
    !jwksShaped(env.ADMIN_CLIENT_JWKS!, env.ADMIN_CLIENT_ID)
  ) {
    problems.push('ADMIN_CLIENT_JWKS must be a JSON Web Key Set ({"keys": [...]}) and needs ADMIN_CLIENT_ID');
  }
  if (optional(env.ADMIN_CLIENT_JWKS_URI) !== undefined && env.ADMIN_CLIENT_ID === undefined)
    problems.push('ADMIN_CLIENT_JWKS_URI needs ADMIN_CLIENT_ID');
  if (optional(env.ADMIN_CLIENT_JWKS_URI) !== undefined && optional(env.ADMIN_CLIENT_JWKS) !== undefined)
    problems.push('Set ADMIN_CLIENT_JWKS or ADMIN_CLIENT_JWKS_URI, not both');
  return problems;
}

/** A JSON object with a `keys` array, for a client that exists (the keys themselves are checked by access). */
function jwksShaped(text: string, clientId: string | undefined): boolean {
  try {
    return clientId !== undefined && Array.isArray((JSON.parse(text) as { keys?: unknown }).keys);
  } catch {
    return false;
  }
}
