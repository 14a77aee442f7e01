import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { ThroughlineError, isThroughlineError } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import { outcomeOf } from '../store/index.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** When a client should try again after a 503 (the pool reconnects on the next request). */
export const RETRY_AFTER_SECONDS = 5;

/** Fastify's own errors (body too large, bad media type, bad JSON, bad URL) as coded errors. */
function fromFastify(error: FastifyError): ThroughlineError | undefined {
  switch (error.code) {
    // The router refuses a path parameter over `maxParamLength` before any route runs.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ThroughlineError(
        'INVALID_REQUEST',
        'A path segment is too long (a FHIR id has at most 64 characters)',
        { expression: 'url' },
      );
    case 'FST_ERR_BAD_URL':
      return new ThroughlineError('INVALID_REQUEST', 'The URL path is not valid percent-encoding', {
        expression: 'url',
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ThroughlineError('PAYLOAD_TOO_LARGE', 'Request body is larger than the limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ThroughlineError('UNSUPPORTED_MEDIA_TYPE', 'Send application/fhir+json or application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ThroughlineError('INVALID_JSON', 'The request body is empty or malformed');
    default:
      return error.statusCode && error.statusCode >= 400 && error.statusCode < 500
        ? new ThroughlineError('INVALID_REQUEST', error.message)
        : undefined;
  }
}

/**
 * The one translation of errors at the HTTP edge (house rule 5): every error becomes an
 * OperationOutcome with the right status; unexpected errors are logged (never with secrets)
 * and answered 500 without internals.
 */
export function errorHandler(logger: Logger) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const coded = isThroughlineError(error) ? error : fromFastify(error as FastifyError);
    if (!coded) {
      logger.error({ err: error, requestId: request.id, url: request.url.split('?')[0] }, 'unexpected error');
      const internal = new ThroughlineError('INTERNAL', 'Internal server error');
      return reply.status(500).type(FHIR_JSON).send(outcomeOf(internal));
    }
    if (coded.code === 'UNAUTHENTICATED') reply.header('WWW-Authenticate', 'Bearer realm="throughline"');
    if (coded.code === 'DATABASE_UNAVAILABLE') {
      logger.warn({ err: coded.cause, requestId: request.id }, 'database unavailable: answered 503');
      reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    return reply.status(coded.httpStatus).type(FHIR_JSON).send(outcomeOf(coded));
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const error = new ThroughlineError(
    'NOT_FOUND',
    `No route for ${request.method} ${request.url.split('?')[0]}`,
  );
  return reply.status(404).type(FHIR_JSON).send(outcomeOf(error));
}

export function informational(text: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'information', code: 'informational', diagnostics: text }],
  };
}
