/**
 * Errors are coded values (house rule 5). Domain code throws `ThroughlineError` with a code from
 * `ErrorCode`; the edges translate once: HTTP → OperationOutcome, MLLP → AE/AR ACK, jobs → retry
 * or dead-letter.
 */

/** Every error code the platform raises, with the HTTP status it maps to at the edge. */
export const ErrorCodes = {
  INVALID_JSON: 400,
  INVALID_RESOURCE: 400,
  INVALID_REQUEST: 400,
  INVALID_SEARCH: 400,
  UNKNOWN_RESOURCE_TYPE: 404,
  NOT_FOUND: 404,
  GONE: 410,
  VERSION_CONFLICT: 412,
  PRECONDITION_FAILED: 412,
  MULTIPLE_MATCHES: 412,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  /** Outreach that no channel could deliver (every try used or refused): dead-lettered with the reasons. */
  UNDELIVERABLE: 422,
  NOT_SUPPORTED: 501,
  /**
   * The database cannot be reached (restarting, connection cut, backends terminated): nothing
   * was done, or the outcome is unknown; the caller retries later (HTTP 503 with Retry-After, no
   * ACK over MLLP so the sender resends, a job released for another attempt).
   */
  DATABASE_UNAVAILABLE: 503,
  CONFIG_INVALID: 500,
  /** A listener could not bind its port (in use, or not allowed): start fails at once. */
  LISTEN_FAILED: 500,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** FHIR `IssueType` codes used in OperationOutcome.issue.code, chosen per error code. */
const issueTypes: Record<ErrorCode, string> = {
  INVALID_JSON: 'structure',
  INVALID_RESOURCE: 'invalid',
  INVALID_REQUEST: 'invalid',
  INVALID_SEARCH: 'invalid',
  UNKNOWN_RESOURCE_TYPE: 'not-supported',
  NOT_FOUND: 'not-found',
  GONE: 'deleted',
  VERSION_CONFLICT: 'conflict',
  PRECONDITION_FAILED: 'conflict',
  MULTIPLE_MATCHES: 'multiple-matches',
  CONFLICT: 'conflict',
  PAYLOAD_TOO_LARGE: 'too-costly',
  UNSUPPORTED_MEDIA_TYPE: 'not-supported',
  UNAUTHENTICATED: 'login',
  FORBIDDEN: 'forbidden',
  UNDELIVERABLE: 'processing',
  NOT_SUPPORTED: 'not-supported',
  DATABASE_UNAVAILABLE: 'transient',
  CONFIG_INVALID: 'exception',
  LISTEN_FAILED: 'exception',
  INTERNAL: 'exception',
};

export interface ErrorIssue {
  message: string;
  /** FHIRPath-style location of the offending element, e.g. `Patient.name[0].given[0]`. */
  expression?: string;
}

export class ThroughlineError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[];

  constructor(
    code: ErrorCode,
    message: string,
    options?: { expression?: string; issues?: ErrorIssue[]; cause?: unknown },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'ThroughlineError';
    this.code = code;
    this.issues = options?.issues ?? [{ message, expression: options?.expression }];
  }

  get httpStatus(): number {
    return ErrorCodes[this.code];
  }

  get issueType(): string {
    return issueTypes[this.code];
  }
}

export function isThroughlineError(error: unknown): error is ThroughlineError {
  return error instanceof ThroughlineError;
}

export function notFound(what: string): ThroughlineError {
  return new ThroughlineError('NOT_FOUND', `${what} not found`);
}

/** The database could not be reached: retry later; never a verdict on the data or the request. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return isThroughlineError(error) && error.code === 'DATABASE_UNAVAILABLE';
}

/**
 * For `.catch` on a read whose failure means "not there": `undefined` — except when the
 * database is away, which is no answer: that is rethrown, so the work is retried later
 * instead of deciding on a record it could not read (revoking a reminder, clearing keys).
 */
export function absentUnlessUnavailable(error: unknown): undefined {
  if (isDatabaseUnavailable(error)) throw error;
  return undefined;
}
