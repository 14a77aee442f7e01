import type { FastifyInstance } from 'fastify';
import { parseUntrustedJson } from '../kernel/safe-json.ts';
import { nulInJson, nulInPairs, nulRejected } from './reject-nul.ts';

/**
 * FHIR JSON (and plain JSON) bodies, with a parse error as a coded 400 that says where; and
 * form bodies for OAuth and `POST _search`. Every JSON route (FHIR, bundles, `/api`, `/auth`)
 * shares the JSON guards: nesting deeper than `maxJsonDepth` and prototype keys are a 400
 * before any route or validator sees the body (see `kernel/safe-json.ts`).
 */
export function registerBodyParsers(app: FastifyInstance, options: { maxJsonDepth: number }): void {
  // Only FHIR JSON, JSON and forms: anything else is a 415 rather than a string the routes must reject.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/fhir+json', 'application/json+fhir'],
    { parseAs: 'string' },
    (_request, body, done) => {
      let parsed: unknown;
      try {
        parsed =
          body === '' ? undefined : parseUntrustedJson(body as string, { maxDepth: options.maxJsonDepth });
      } catch (error) {
        return done(error as Error, undefined);
      }
      const nul = nulInJson(body as string, parsed);
      done(nul ? nulRejected(nul) : null, nul ? undefined : parsed);
    },
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      // Ordered pairs: `POST _search` keeps repeated parameters (AND) and their order.
      const pairs = [...new URLSearchParams(body as string)];
      const nul = nulInPairs(pairs);
      done(nul ? nulRejected(nul) : null, nul ? undefined : pairs);
    },
  );
}
