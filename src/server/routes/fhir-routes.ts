import type { FastifyInstance } from 'fastify';
import type { Bundle } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import {
  bodyResource,
  isStrict,
  queryPairs,
  queryString,
  resourceId,
  resourceType,
  sendResource,
} from './fhir-request.ts';

type Params = { type: string; id: string; sub: string; vid: string };

/**
 * The FHIR R4 REST interactions. Routes are thin (house rule 4): check the URL, call one
 * method of the caller-scoped store, shape the answer.
 */
export function registerFhirRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const base = `${deps.config.baseUrl}/fhir`;
  app.register(async (fhir) => {
    fhir.addHook('preHandler', authenticate(deps));
    const bundle = (reply: import('fastify').FastifyReply, value: Bundle) =>
      reply.type(FHIR_JSON).send(value);

    fhir.post('/fhir', async (request, reply) =>
      bundle(reply, await request.fhir.processBundle(bodyResource(request, 'Bundle') as Bundle)),
    );
    fhir.get('/fhir/_history', async (request, reply) =>
      bundle(reply, await request.fhir.history(historyOptions(queryPairs(request)))),
    );
    fhir.get<{ Params: Params }>('/fhir/:type', async (request, reply) =>
      bundle(
        reply,
        await request.fhir.search({
          resourceType: resourceType(request.params.type),
          params: queryPairs(request),
          strict: isStrict(request),
        }),
      ),
    );
    fhir.post<{ Params: Params }>('/fhir/:type/_search', async (request, reply) => {
      const form = Array.isArray(request.body) ? (request.body as [string, string][]) : [];
      const params = [...queryPairs(request), ...form];
      return bundle(
        reply,
        await request.fhir.search({
          resourceType: resourceType(request.params.type),
          params,
          strict: isStrict(request),
        }),
      );
    });
    fhir.get<{ Params: Params }>('/fhir/:type/_history', async (request, reply) =>
      bundle(
        reply,
        await request.fhir.history({
          resourceType: resourceType(request.params.type),
          ...historyOptions(queryPairs(request)),
        }),
      ),
    );
    fhir.post<{ Params: Params }>('/fhir/:type', async (request, reply) => {
      const type = resourceType(request.params.type);
      const ifNoneExist = request.headers['if-none-exist'] as string | undefined;
      const result = await request.fhir.create(
        bodyResource(request, type),
        ifNoneExist ? { ifNoneExist } : undefined,
      );
      return sendResource(request, reply, result.resource, result.outcome === 'created' ? 201 : 200, base);
    });
    fhir.put<{ Params: Params }>('/fhir/:type', async (request, reply) => {
      const type = resourceType(request.params.type);
      const query = queryString(request);
      if (!query)
        throw new ThroughlineError(
          'INVALID_REQUEST',
          'PUT on a type needs search criteria (conditional update)',
        );
      const result = await request.fhir.conditionalUpdate(bodyResource(request, type), query);
      return sendResource(request, reply, result.resource, result.outcome === 'created' ? 201 : 200, base);
    });
    fhir.get<{ Params: Params }>('/fhir/:type/:id', async (request, reply) => {
      const resource = await request.fhir.read(
        resourceType(request.params.type),
        resourceId(request.params.id),
      );
      return sendResource(request, reply, resource, 200, base);
    });
    fhir.put<{ Params: Params }>('/fhir/:type/:id', async (request, reply) => {
      const type = resourceType(request.params.type);
      const id = resourceId(request.params.id);
      const resource = bodyResource(request, type);
      if (resource.id !== undefined && resource.id !== id) {
        throw new ThroughlineError(
          'INVALID_RESOURCE',
          `Resource id "${resource.id}" does not match the URL id "${id}"`,
          { expression: `${type}.id` },
        );
      }
      const ifMatch = parseIfMatch(request.headers['if-match'] as string | undefined);
      const result = await request.fhir.update({ ...resource, id }, ifMatch ? { ifMatch } : undefined);
      return sendResource(request, reply, result.resource, result.outcome === 'created' ? 201 : 200, base);
    });
    fhir.delete<{ Params: Params }>('/fhir/:type/:id', async (request, reply) => {
      await request.fhir.delete(resourceType(request.params.type), resourceId(request.params.id));
      return reply.status(204).send();
    });
    fhir.get<{ Params: Params }>('/fhir/:type/:id/:sub', async (request, reply) => {
      const type = resourceType(request.params.type);
      const id = resourceId(request.params.id);
      const sub = request.params.sub;
      if (sub === '_history')
        return bundle(
          reply,
          await request.fhir.history({ resourceType: type, id, ...historyOptions(queryPairs(request)) }),
        );
      if (type === 'Patient' && sub === '$everything')
        return bundle(
          reply,
          await request.fhir.everything({ patientId: id, ...everythingOptions(queryPairs(request)) }),
        );
      if (type === 'Patient') {
        const params = queryPairs(request);
        return bundle(
          reply,
          await request.fhir.search({
            resourceType: resourceType(sub),
            params,
            compartment: { resourceType: 'Patient', id },
            strict: isStrict(request),
          }),
        );
      }
      throw new ThroughlineError('NOT_FOUND', `No route for GET ${type}/${id}/${sub}`);
    });
    fhir.get<{ Params: Params }>('/fhir/:type/:id/_history/:vid', async (request, reply) => {
      const resource = await request.fhir.vread(
        resourceType(request.params.type),
        resourceId(request.params.id),
        request.params.vid,
      );
      return sendResource(request, reply, resource, 200, base);
    });
  });
}

function parseIfMatch(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?([0-9]+)"?$/.exec(header.trim());
  if (!match) throw new ThroughlineError('INVALID_REQUEST', `Invalid If-Match header "${header}"`);
  return match[1];
}

function numberParam(pairs: [string, string][], name: string): number | undefined {
  const raw = pairs.find(([key]) => key === name)?.[1];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ThroughlineError('INVALID_SEARCH', `${name} must be a non-negative integer`, {
      expression: name,
    });
  return value;
}

function historyOptions(pairs: [string, string][]) {
  return {
    since: pairs.find(([key]) => key === '_since')?.[1],
    count: numberParam(pairs, '_count'),
    offset: numberParam(pairs, '_offset'),
  };
}

function everythingOptions(pairs: [string, string][]) {
  const types = pairs.find(([key]) => key === '_type')?.[1];
  return {
    since: pairs.find(([key]) => key === '_since')?.[1],
    types: types ? types.split(',') : undefined,
    count: numberParam(pairs, '_count'),
    offset: numberParam(pairs, '_offset'),
  };
}
