import type { AuditEvent } from '@medplum/fhirtypes';
import { ThroughlineError } from '../kernel/errors.ts';
import { patientIdOf } from '../fhir/compartment.ts';
import { validateResource } from '../fhir/validate-resource.ts';
import type { SqlExecutor } from '../store/index.ts';
import { recordAudit } from './audit.ts';
import { isIntegrationPrincipal } from './operator-roles.ts';
import type { Principal, RequestContext } from './principal.ts';

/** The action of an AuditEvent another system posted into the chain; its content is the row's detail. */
export const EXTERNAL_ACTION = 'external';

const outcomes: Record<string, 'success' | 'denied' | 'failure'> = { '0': 'success', '4': 'denied' };

/**
 * `POST /fhir/AuditEvent` from a system client (an EHR, a gateway): the event is validated
 * as FHIR and appended to the hash chain as it was sent, naming the patients it names, so
 * one log holds every access wherever it happened. Only integration clients may: nobody
 * else writes into the audit log.
 */
export async function recordExternalAuditEvent(
  db: SqlExecutor,
  caller: { principal: Principal; context: RequestContext },
  event: AuditEvent,
): Promise<string> {
  if (!isIntegrationPrincipal(caller.principal))
    throw new ThroughlineError('FORBIDDEN', 'Only integration clients may post AuditEvents');
  const { id: _id, meta: _meta, ...content } = validateResource(event) as AuditEvent;
  const patients = (content.entity ?? []).flatMap((entity) => {
    const id = patientIdOf(entity.what?.reference);
    return id ? [id] : [];
  });
  await recordAudit(db, caller, {
    action: EXTERNAL_ACTION,
    resourceType: 'AuditEvent',
    patients,
    outcome: outcomes[content.outcome ?? '0'] ?? 'failure',
    detail: JSON.stringify(content),
  });
  const row = await db.query<{ id: string }>(
    `SELECT id::text AS id FROM audit_log WHERE request_id = $1 AND action = $2 ORDER BY id DESC LIMIT 1`,
    [caller.context.requestId, EXTERNAL_ACTION],
  );
  return row.rows[0]?.id ?? '';
}
