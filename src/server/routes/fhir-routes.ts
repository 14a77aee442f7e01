import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bundle } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { registerBulkExportRoutes } from './bulk-export-routes.ts';
import { everythingOptions, historyOptions, parseIfMatch } from './fhir-params.ts';
import {
  bodyResource,
  isStrict,
  queryPairs,
  queryString,
  resourceId,
  resourceType,
  sendResource,
} from './fhir-request.ts';
import { subscriptionAdmission, type Admit } from './subscription-admission.ts';

type Params = { type: string; id: string; sub: string; vid: string };
type Request = FastifyRequest<{ Params: Params }>;

const sendBundle = (reply: FastifyReply, bundle: Bundle) => reply.type(FHIR_JSON).send(bundle);

/**
 * The FHIR R4 REST interactions. Routes are thin (house rule 4): check the URL, call one
 * method of the caller-scoped store (`request.fhir`), shape the answer.
 */
export function registerFhirRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const base = `${deps.config.baseUrl}/fhir`;
  app.register(async (fhir) => {
    fhir.addHook('preHandler', authenticate(deps));
    registerSearchRoutes(fhir);
    registerInstanceRoutes(fhir, base);
    registerWriteRoutes(fhir, { base, ...subscriptionAdmission(deps) });
  });
  registerBulkExportRoutes(app, deps);
}

function registerSearchRoutes(fhir: FastifyInstance): void {
  const search = (request: Request, params: [string, string][]) =>
    request.fhir.search({
      resourceType: resourceType(request.params.type),
      params,
      strict: isStrict(request),
    });
  fhir.get('/fhir/_history', async (request, reply) =>
    sendBundle(reply, await request.fhir.history(historyOptions(queryPairs(request)))),
  );
  fhir.get<{ Params: Params }>('/fhir/:type', async (request, reply) =>
    sendBundle(reply, await search(request, queryPairs(request))),
  );
  fhir.post<{ Params: Params }>('/fhir/:type/_search', async (request, reply) => {
    const form = Array.isArray(request.body) ? (request.body as [string, string][]) : [];
    return sendBundle(reply, await search(request, [...queryPairs(request), ...form]));
  });
  fhir.get<{ Params: Params }>('/fhir/:type/_history', async (request, reply) => {
    const options = historyOptions(queryPairs(request));
    return sendBundle(
      reply,
      await request.fhir.history({ resourceType: resourceType(request.params.type), ...options }),
    );
  });
}

function registerInstanceRoutes(fhir: FastifyInstance, base: string): void {
  fhir.get<{ Params: Params }>('/fhir/:type/:id', async (request, reply) => {
    const resource = await request.fhir.read(
      resourceType(request.params.type),
      resourceId(request.params.id),
    );
    return sendResource(request, reply, { resource, status: 200, baseUrl: base });
  });
  fhir.get<{ Params: Params }>('/fhir/:type/:id/_history/:vid', async (request, reply) => {
    const { type, id, vid } = request.params;
    const resource = await request.fhir.vread(resourceType(type), resourceId(id), vid);
    return sendResource(request, reply, { resource, status: 200, baseUrl: base });
  });
  fhir.get<{ Params: Params }>('/fhir/:type/:id/:sub', async (request, reply) =>
    sendBundle(reply, await instanceSub(request)),
  );
}

/** `Type/id/_history`, `Patient/id/$everything`, and compartment search `Patient/id/Type`. */
async function instanceSub(request: Request): Promise<Bundle> {
  const type = resourceType(request.params.type);
  const id = resourceId(request.params.id);
  const { sub } = request.params;
  const pairs = queryPairs(request);
  if (sub === '_history') return request.fhir.history({ resourceType: type, id, ...historyOptions(pairs) });
  if (type === 'Patient' && sub === '$everything')
    return request.fhir.everything({ patientId: id, ...everythingOptions(pairs) });
  if (type !== 'Patient') throw new ThroughlineError('NOT_FOUND', `No route for GET ${type}/${id}/${sub}`);
  const compartment = { resourceType: 'Patient' as const, id };
  return request.fhir.search({
    resourceType: resourceType(sub),
    params: pairs,
    compartment,
    strict: isStrict(request),
  });
}

function registerWriteRoutes(fhir: FastifyInstance, writes: Writes): void {
  const { base, admit, admitBundle } = writes;
  const stored = (
    request: Request,
    reply: FastifyReply,
    result: { resource: import('@medplum/fhirtypes').Resource; outcome: string },
  ) => sendResource(request, reply, { resource: result.resource, status: statusOf(result), baseUrl: base });
  fhir.post('/fhir', async (request, reply) =>
    sendBundle(
      reply,
      await request.fhir.processBundle(await admitBundle(request, bodyResource(request, 'Bundle') as Bundle)),
    ),
  );
  fhir.post<{ Params: Params }>('/fhir/:type', async (request, reply) =>
    stored(request, reply, await createResource(request, admit)),
  );
  fhir.put<{ Params: Params }>('/fhir/:type', async (request, reply) => {
    const query = queryString(request);
    if (!query)
      throw new ThroughlineError(
        'INVALID_REQUEST',
        'PUT on a type needs search criteria (conditional update)',
      );
    const type = resourceType(request.params.type);
    const resource = await admit(request, bodyResource(request, type));
    return stored(request, reply, await request.fhir.conditionalUpdate(resource, query));
  });
  fhir.put<{ Params: Params }>('/fhir/:type/:id', async (request, reply) =>
    stored(request, reply, await updateInstance(request, admit)),
  );
  fhir.delete<{ Params: Params }>('/fhir/:type/:id', async (request, reply) => {
    await request.fhir.delete(resourceType(request.params.type), resourceId(request.params.id));
    return reply.status(204).send();
  });
}

/** Where stored resources are found, and the admission of Subscriptions (issue 17). */
interface Writes {
  base: string;
  admit: Admit;
  admitBundle(request: FastifyRequest, bundle: Bundle): Promise<Bundle>;
}

/** 201 for a resource the write created, 200 for one it updated. */
const statusOf = (result: { outcome: string }) => (result.outcome === 'created' ? 201 : 200);

async function createResource(request: Request, admit: Admit) {
  const type = resourceType(request.params.type);
  const ifNoneExist = request.headers['if-none-exist'] as string | undefined;
  const resource = await admit(request, bodyResource(request, type));
  return request.fhir.create(resource, ifNoneExist ? { ifNoneExist } : undefined);
}

async function updateInstance(request: Request, admit: Admit) {
  const type = resourceType(request.params.type);
  const id = resourceId(request.params.id);
  const resource = await admit(request, bodyResource(request, type));
  if (resource.id !== undefined && resource.id !== id) {
    throw new ThroughlineError(
      'INVALID_RESOURCE',
      `Resource id "${resource.id}" does not match the URL id "${id}"`,
      { expression: `${type}.id` },
    );
  }
  const ifMatch = parseIfMatch(request.headers['if-match'] as string | undefined);
  return request.fhir.update({ ...resource, id }, ifMatch ? { ifMatch } : undefined);
}
