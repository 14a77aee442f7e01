import type { FastifyInstance } from 'fastify';
import { buildPatient360, buildTimeline, loadPersonRecord } from '../../journey/index.ts';
import { possibleDuplicatesOf } from '../possible-duplicates-of.ts';
import { compartmentIds, resolvePerson } from '../resolve-person.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

/**
 * The 360° view and the timeline (identity decides who the person is and which records may
 * be them too; journey decides what to show — composed here, so neither capability imports
 * the other). Reads go through the caller's scoped store: what the caller may not see is not
 * in the view, and it is audited.
 */
export function registerPatientViewRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.get<{ Params: { id: string } }>('/api/patients/:id/360', async (request) => {
      const person = await resolvePerson(request.fhir, resourceId(request.params.id));
      const resources = await loadPersonRecord(request.fhir, compartmentIds(person));
      const possibleDuplicates = await possibleDuplicatesOf(deps, {
        repository: request.fhir,
        principal: request.principal,
        person,
      });
      return buildPatient360({ ...person, resources, now: deps.clock.now(), possibleDuplicates });
    });
    routes.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
      '/api/patients/:id/timeline',
      async (request) => {
        const person = await resolvePerson(request.fhir, resourceId(request.params.id));
        const resources = await loadPersonRecord(request.fhir, compartmentIds(person));
        const query = request.query;
        return buildTimeline(resources, {
          categories: query.category?.split(','),
          source: query.source,
          from: query.from,
          to: query.to,
          cursor: query.cursor,
          limit: query.limit ? Number(query.limit) : undefined,
        });
      },
    );
  });
}
