import type { Resource } from '@medplum/fhirtypes';
import { patientCompartmentOf } from '../../fhir/compartment.ts';
import type { SqlExecutor } from '../../store/index.ts';

/**
 * Issue 5's rule, checked on every response of the integration suite: a response that carries
 * patient data has its audit record — rows with the response's request id naming every patient
 * whose data is in the body. Every HTTP test that uses `TestPlatform.fetch` checks it.
 */
export async function assertAudited(db: SqlExecutor, path: string, response: Response): Promise<void> {
  if (!response.ok || !/json/.test(response.headers.get('content-type') ?? '')) return;
  const patients = patientsIn(await response.json().catch(() => undefined));
  if (patients.size === 0) return;
  const requestId = response.headers.get('x-request-id');
  if (!requestId) throw new Error(`${path}: patient data without an x-request-id to find its audit record`);
  const rows = await db.query<{ patients: string[] }>(
    'SELECT patients FROM audit_log WHERE request_id = $1',
    [requestId],
  );
  const audited = new Set(rows.rows.flatMap((row) => row.patients));
  const missing = [...patients].filter((patient) => !audited.has(patient));
  if (missing.length > 0)
    throw new Error(
      `${path}: response carries data of ${missing.join(', ')} with no audit record naming them`,
    );
}

function patientsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) patientsIn(item, found);
  else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (
      typeof node.resourceType === 'string' &&
      node.resourceType !== 'Bundle' &&
      node.resourceType !== 'OperationOutcome'
    ) {
      const patient = patientCompartmentOf(node as unknown as Resource);
      if (patient) found.add(patient);
    }
    for (const child of Object.values(node)) patientsIn(child, found);
  }
  return found;
}
