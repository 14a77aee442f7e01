import type { Bundle, HumanName, Patient } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';

/** Ids per `_id` search: a URL-sized list, and few searches for a dry run's thousands of writes. */
const CHUNK = 100;

/** "Maya Okafor": the official name, else the first one (its text, else given and family). */
function displayOf(names: HumanName[] | undefined): string | undefined {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return undefined;
  return name.text ?? ([...(name.given ?? []), name.family].filter(Boolean).join(' ') || undefined);
}

/**
 * Patient reference → display name, read with the store it is given — the caller's, so a
 * patient the caller may not see (a label their role lacks, the patient's consent) reads as
 * not found and stays unnamed, and each read is audited naming the patients it showed.
 */
export async function patientNames(
  repository: FhirRepository,
  references: (string | undefined)[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(references.flatMap((r) => (r?.startsWith('Patient/') ? [r.slice('Patient/'.length)] : []))),
  ];
  const names = new Map<string, string>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const bundle = await searchPatients(repository, chunk);
    for (const entry of bundle.entry ?? []) {
      const patient = entry.resource as Patient | undefined;
      const name = displayOf(patient?.name);
      if (patient?.id && name) names.set(`Patient/${patient.id}`, name);
    }
  }
  return names;
}

/** One `_id` search; a caller whose role may not search Patients at all names nobody (not a failed page). */
async function searchPatients(repository: FhirRepository, ids: string[]): Promise<Bundle> {
  try {
    return await repository.search({
      resourceType: 'Patient',
      params: [
        ['_id', ids.join(',')],
        ['_count', String(ids.length)],
      ],
    });
  } catch (error) {
    if (isThroughlineError(error) && error.code === 'FORBIDDEN')
      return { resourceType: 'Bundle', type: 'searchset' };
    throw error;
  }
}

/** Each item with `patientName` beside its `patient` reference when the caller may see that patient. */
export async function withPatientNames<T extends { patient?: string }>(
  repository: FhirRepository,
  items: T[],
): Promise<(T & { patientName?: string })[]> {
  const names = await patientNames(
    repository,
    items.map((item) => item.patient),
  );
  return items.map((item) => {
    const name = item.patient ? names.get(item.patient) : undefined;
    return name ? { ...item, patientName: name } : item;
  });
}
