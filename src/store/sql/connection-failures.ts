import { ThroughlineError, isThroughlineError } from '../../kernel/errors.ts';

/**
 * Errors that say "the database is not there" rather than "this statement is wrong": the
 * socket was refused, reset or timed out, the server terminated the backend or is starting or
 * shutting down. PostgreSQL SQLSTATE class 08 is "connection exception"; 57P01–57P03 are
 * admin_shutdown (pg_terminate_backend, a fast shutdown), crash_shutdown and
 * cannot_connect_now (the server is starting); 53300 is too_many_connections.
 */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// node-postgres raises these as plain Errors, without a code (pg/lib/client.js, pg-pool).
const lostConnectionMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable/;

/** Whether `error` means the database could not be reached (as opposed to a failed statement). */
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isThroughlineError(error)) return error.code === 'DATABASE_UNAVAILABLE';
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (unavailableStates.has(code) || socketCodes.has(code) || code.startsWith('08'))
  )
    return true;
  return typeof message === 'string' && lostConnectionMessages.test(message);
}

/** The coded error for a lost database, keeping the driver's error as its cause (for the log). */
export function databaseUnavailable(cause: unknown): ThroughlineError {
  return new ThroughlineError('DATABASE_UNAVAILABLE', 'The database is unavailable; retry later', { cause });
}

/** Rethrows a connection failure as DATABASE_UNAVAILABLE, any other error as it is. */
export function asUnavailable(error: unknown): never {
  throw isConnectionFailure(error) && !isThroughlineError(error) ? databaseUnavailable(error) : error;
}
