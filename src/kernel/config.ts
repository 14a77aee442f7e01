import { resolve } from 'node:path';
import { ThroughlineError } from './errors.ts';

/**
 * The one configuration schema (house rule 6): parsed once at start from the environment,
 * reporting every problem at once. Nothing else reads `process.env`.
 */
export interface Config {
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
  /** Secret for signing access tokens (HS256). Generated per data dir when unset. */
  jwtSecret: string | undefined;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  /** Access-token lifetime in seconds. */
  tokenTtlSeconds: number;
}

type Env = Record<string, string | undefined>;

interface FieldSpec<T> {
  env: string;
  parse: (raw: string | undefined) => T;
}

function integer(
  name: string,
  fallback: number,
  min: number,
  max: number,
): (raw: string | undefined) => number {
  return (raw) => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    }
    return value;
  };
}

function optional(raw: string | undefined): string | undefined {
  return raw === undefined || raw === '' ? undefined : raw;
}

function postgresUrl(raw: string | undefined): string | undefined {
  const value = optional(raw);
  if (value !== undefined && !/^postgres(ql)?:\/\//.test(value)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return value;
}

const schema: { [K in Exclude<keyof Config, 'baseUrl'>]: FieldSpec<Config[K]> } = {
  databaseUrl: { env: 'DATABASE_URL', parse: postgresUrl },
  dataDir: { env: 'DATA_DIR', parse: (raw) => resolve(optional(raw) ?? './data') },
  port: { env: 'PORT', parse: integer('PORT', 8080, 0, 65535) },
  host: { env: 'HOST', parse: (raw) => optional(raw) ?? '0.0.0.0' },
  mllpPort: { env: 'MLLP_PORT', parse: integer('MLLP_PORT', 2575, 0, 65535) },
  mllpTlsCertFile: { env: 'MLLP_TLS_CERT_FILE', parse: optional },
  mllpTlsKeyFile: { env: 'MLLP_TLS_KEY_FILE', parse: optional },
  logLevel: { env: 'LOG_LEVEL', parse: (raw) => optional(raw) ?? 'info' },
  adminClientId: { env: 'ADMIN_CLIENT_ID', parse: optional },
  adminClientSecret: { env: 'ADMIN_CLIENT_SECRET', parse: optional },
  jwtSecret: { env: 'JWT_SECRET', parse: optional },
  maxBodyBytes: { env: 'MAX_BODY_BYTES', parse: integer('MAX_BODY_BYTES', 64 * 1024 * 1024, 1024, 2 ** 31) },
  tokenTtlSeconds: { env: 'TOKEN_TTL_SECONDS', parse: integer('TOKEN_TTL_SECONDS', 3600, 60, 86400) },
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
  if ((env.ADMIN_CLIENT_ID === undefined) !== (env.ADMIN_CLIENT_SECRET === undefined)) {
    problems.push('ADMIN_CLIENT_ID and ADMIN_CLIENT_SECRET must be set together');
  }
  if (problems.length > 0) {
    throw new ThroughlineError('CONFIG_INVALID', `Invalid configuration:\n- ${problems.join('\n- ')}`, {
      issues: problems.map((message) => ({ message })),
    });
  }
  const config = parsed as Config;
  config.baseUrl = optional(env.BASE_URL) ?? `http://localhost:${config.port}`;
  return config;
}
