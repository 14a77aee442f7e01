import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach a log line: the redact paths cover every place a
 * credential can travel (headers, token bodies, config).
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.client_secret',
        '*.password',
        'client_secret',
        'password',
        'config.adminClientSecret',
        'config.databaseUrl',
      ],
      censor: '[redacted]',
    },
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
