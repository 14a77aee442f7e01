import type { FastifyInstance } from 'fastify';
import { validateResource } from '../fhir/validate-resource.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import { findPath } from '../kernel/safe-json.ts';
import { checkBundleAttachments, checkCommunicationAttachments } from './check-attachments.ts';

/**
 * Two FHIR rules checked at the edge, for every FHIR JSON body, before any route reads it (the
 * fuzz test found both answered 500 by the identity engine behind `Patient/$match`):
 * - no empty arrays or objects (R4 JSON: an element without values or children is left out,
 *   never `[]` or `{}`); the validator lets `"family": []` through where one string belongs, and
 *   `"parameter": {}` where an array belongs, and code that reads them as such fails;
 * - the `Parameters` of an operation (`POST /fhir/…/$name`) are a valid resource, with each
 *   parameter's resource validated as its type: routes read them as typed values.
 * And the limits on a `Communication`'s attachments (type, size; `check-attachments.ts`), alone
 * or in a Bundle.
 */
const isFhirResource = (body: unknown): body is { resourceType: string } =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { resourceType?: unknown }).resourceType === 'string';

const isOperation = (path: string) => /^\/fhir\/(?:[^/]+\/){0,2}\$[^/]+$/.test(path);

const isEmpty = (value: unknown) =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 0;

/** Refuses the first empty array or object of a FHIR JSON body, naming it. */
export function checkNoEmptyElements(body: { resourceType: string }): void {
  const path = findPath(body, (_key, child) => isEmpty(child));
  if (path)
    throw new ThroughlineError(
      'INVALID_RESOURCE',
      'An empty array or object is not valid FHIR JSON: leave the element out',
      {
        expression: path,
      },
    );
}

/** Registered from `build-app.ts`: every POST and PUT under `/fhir`, before the routes' own hooks. */
export function registerFhirBodyChecks(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const path = request.url.split('?')[0]!;
    if (!path.startsWith('/fhir') || !isFhirResource(request.body)) return;
    checkNoEmptyElements(request.body);
    if (request.body.resourceType === 'Bundle') checkBundleAttachments(request.body);
    else checkCommunicationAttachments(request.body);
    if (request.method === 'POST' && isOperation(path) && request.body.resourceType === 'Parameters')
      validateResource(request.body);
  });
}
