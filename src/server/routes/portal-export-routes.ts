import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../../access/index.ts';
import { exportBundle, exportPersonRecord } from '../export-person-record.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { contextOf, patientOf } from './portal-caller.ts';

/**
 * "Download my data" (issue 20, her right of access): her whole record across her linked
 * records as one FHIR Bundle file. Read with HER scoped store (never a service principal), so
 * the checkpoint leaves out what she may not see; a caregiver gets it only with her grant's
 * `record` scope (portal-caller's table), without sensitive labels or what the patient's
 * Consent hides from proxies. Audited under the caller, naming every record read, before
 * anything is sent.
 */
export function registerPortalExport(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/portal/export', async (request, reply) => {
    const now = deps.clock.now();
    const { patients, resources } = await exportPersonRecord(request.fhir, patientOf(request));
    await recordAudit(
      deps.db,
      { principal: request.principal, context: contextOf(request) },
      { action: 'portal-export', resourceType: 'Patient', patients, outcome: 'success' },
    );
    return reply
      .type(FHIR_JSON)
      .header(
        'content-disposition',
        `attachment; filename="health-record-${now.toISOString().slice(0, 10)}.json"`,
      )
      .send(exportBundle(resources, now));
  });
}
