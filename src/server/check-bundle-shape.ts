import type { FastifyInstance } from 'fastify';
import { ThroughlineError } from '../kernel/errors.ts';

/**
 * The skeleton of a Bundle posted to `POST /fhir`, checked at the edge before the access
 * checkpoint plans its entries: the fuzz test found that an `entry` that is not an array, a
 * `null` entry, a `request.url` or `request.method` that is not a string, or a method outside
 * HTTPVerb were answered 500 (or 501). Each is a 400 naming the element. Only the Bundle's own
 * elements are checked here: each entry's resource is validated by the store, entry by entry,
 * so a batch keeps its one-outcome-per-entry answer.
 */
const HTTP_VERBS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']);
const REQUEST_STRINGS = ['url', 'ifNoneMatch', 'ifModifiedSince', 'ifMatch', 'ifNoneExist'] as const;

type Problem = { message: string; expression: string } | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function requestProblem(request: unknown, where: string): Problem {
  if (request === undefined) return undefined; // the store names a missing request
  if (!isObject(request)) return { message: 'Bundle.entry.request must be an object', expression: where };
  const { method } = request;
  if (method !== undefined && (typeof method !== 'string' || !HTTP_VERBS.has(method)))
    return {
      message: `request.method must be one of ${[...HTTP_VERBS].join(', ')}`,
      expression: `${where}.method`,
    };
  const notString = REQUEST_STRINGS.find(
    (key) => request[key] !== undefined && typeof request[key] !== 'string',
  );
  return (
    notString && { message: `request.${notString} must be a string`, expression: `${where}.${notString}` }
  );
}

function entryProblem(entry: unknown, where: string): Problem {
  if (!isObject(entry)) return { message: 'A Bundle entry must be an object', expression: where };
  if (entry.fullUrl !== undefined && typeof entry.fullUrl !== 'string')
    return { message: 'fullUrl must be a string', expression: `${where}.fullUrl` };
  const resource = entry.resource;
  if (resource !== undefined && !(isObject(resource) && typeof resource.resourceType === 'string'))
    return {
      message: 'resource must be a resource (an object with a resourceType)',
      expression: `${where}.resource`,
    };
  return requestProblem(entry.request, `${where}.request`);
}

/** What is wrong with the skeleton of a batch or transaction, or undefined (other bodies: the route decides). */
export function bundleShapeProblem(body: unknown): Problem {
  if (!isObject(body) || body.resourceType !== 'Bundle') return undefined;
  if (body.type !== 'batch' && body.type !== 'transaction')
    return {
      message: `Bundle.type must be transaction or batch, got ${JSON.stringify(body.type) ?? 'nothing'}`,
      expression: 'Bundle.type',
    };
  if (body.entry === undefined) return undefined;
  if (!Array.isArray(body.entry))
    return { message: 'Bundle.entry must be an array', expression: 'Bundle.entry' };
  for (const [index, entry] of body.entry.entries()) {
    const problem = entryProblem(entry, `Bundle.entry[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** Registered from `build-app.ts`: `POST /fhir` (and `/fhir/`), before the routes' own hooks. */
export function registerBundleShapeCheck(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST' || !/^\/fhir\/?$/.test(request.url.split('?')[0]!)) return;
    const problem = bundleShapeProblem(request.body);
    if (problem)
      throw new ThroughlineError('INVALID_RESOURCE', problem.message, { expression: problem.expression });
  });
}
