import type { FastifyInstance } from 'fastify';
import { ThroughlineError } from '../kernel/errors.ts';

/**
 * FHIR JSON (and plain JSON) bodies, with a parse error as a coded 400 that says where; and
 * form bodies for OAuth and `POST _search`.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  // Only FHIR JSON, JSON and forms: anything else is a 415 rather than a string the routes must reject.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/fhir+json', 'application/json+fhir'],
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, body === '' ? undefined : JSON.parse(body as string));
      } catch (error) {
        done(new ThroughlineError('INVALID_JSON', `Malformed JSON: ${(error as Error).message}`), undefined);
      }
    },
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      // Ordered pairs: `POST _search` keeps repeated parameters (AND) and their order.
      done(null, [...new URLSearchParams(body as string)]);
    },
  );
}
