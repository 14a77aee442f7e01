import type { FastifyInstance } from 'fastify';
import type { Patient } from '@medplum/fhirtypes';
import { goldenIdOf, isGolden, memberIdsOf } from '../../identity/index.ts';
import { buildPatient360, buildTimeline, loadPersonRecord } from '../../journey/index.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

/** Who a patient id stands for: the golden record (if linked) and every source record of the person. */
async function resolvePerson(
  repository: FhirRepository,
  id: string,
): Promise<{ golden?: Patient; records: Patient[] }> {
  const patient = await repository.read<Patient>('Patient', id);
  const goldenId = isGolden(patient) ? patient.id : goldenIdOf(patient);
  if (!goldenId) return { records: [patient] };
  const golden = isGolden(patient) ? patient : await repository.read<Patient>('Patient', goldenId);
  const records: Patient[] = [];
  for (const memberId of memberIdsOf(golden))
    records.push(memberId === patient.id ? patient : await repository.read<Patient>('Patient', memberId));
  return { golden, records };
}

/**
 * The 360° view and the timeline (identity decides who the person is; journey decides what to
 * show — composed here, so neither capability imports the other). Reads go through the
 * caller's scoped store: what the caller may not see is not in the view, and it is audited.
 */
export function registerPatientViewRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.get<{ Params: { id: string } }>('/api/patients/:id/360', async (request) => {
      const person = await resolvePerson(request.fhir, resourceId(request.params.id));
      const resources = await loadPersonRecord(
        request.fhir,
        person.records.map((record) => record.id as string),
      );
      return buildPatient360(person.records, person.golden, resources, new Date());
    });
    routes.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
      '/api/patients/:id/timeline',
      async (request) => {
        const person = await resolvePerson(request.fhir, resourceId(request.params.id));
        const resources = await loadPersonRecord(
          request.fhir,
          person.records.map((record) => record.id as string),
        );
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
