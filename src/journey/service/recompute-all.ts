import type { Patient } from '@medplum/fhirtypes';
import type { JourneyDeps, Person } from './journey-deps.ts';
import { recomputePerson } from './recompute-person.ts';

export interface RecomputeSummary {
  people: number;
  writes: number;
  seconds: number;
}

/**
 * Recomputes every person: the nightly sweep (SLAs pass without any event: a referral becomes
 * overdue just by waiting) and the benchmark. Patients are read page by page; each person
 * once, however many records they have.
 */
export async function recomputeAll(
  deps: JourneyDeps,
  options: { pageSize?: number } = {},
): Promise<RecomputeSummary> {
  const started = performance.now();
  const done = new Set<string>();
  let writes = 0;
  for (let offset = 0; ;) {
    const page = await deps.repository.search({
      resourceType: 'Patient',
      params: [
        ['_count', String(options.pageSize ?? 200)],
        ['_offset', String(offset)],
        ['_sort', '_id'],
      ],
    });
    const patients = (page.entry ?? []).map((entry) => entry.resource as Patient);
    for (const patient of patients) {
      const person: Person | undefined = await deps.personOf(patient.id as string);
      if (!person || done.has(person.id)) continue;
      done.add(person.id);
      writes += (await recomputePerson(deps, person)).writes.length;
    }
    if (!page.link?.some((link) => link.relation === 'next')) break;
    offset += patients.length;
  }
  return { people: done.size, writes, seconds: (performance.now() - started) / 1000 };
}
