import type { Consent } from '@medplum/fhirtypes';
import { isDatabaseUnavailable } from '../../kernel/errors.ts';
import { groupCommit } from '../../kernel/group-commit.ts';
import { searchAll, type FhirRepository } from '../../store/index.ts';

/** Patient references per search: the store's limit on one parameter's OR list. */
const PATIENTS_PER_SEARCH = 100;
/** People per batch: each has one or a few records, so a batch mostly fits one search. */
const PEOPLE_PER_BATCH = 50;

/** The active Consents of one person (all of their records), read for a delivery. */
export type ConsentLookup = (recordIds: readonly string[]) => Promise<Consent[]>;

/**
 * The consent reads of concurrent deliveries asked together: while one search is in flight,
 * the people whose consents are asked meanwhile go as the next one (`kernel/group-commit.ts`),
 * `patient=Patient/a,Patient/b,…&status=active`, every page, then each person gets the
 * Consents of their own records. A search still runs through the engine's scoped store
 * (checked, audited naming every patient), and still sees every Consent committed before the
 * delivery asked — consent is checked at the moment of sending, not from a cache.
 */
export function coalescedConsents(repository: FhirRepository): ConsentLookup {
  const lookup = groupCommit<readonly string[], Consent[]>({
    maxBatch: PEOPLE_PER_BATCH,
    write: async (people) => {
      const byPatient = await activeConsentsOf(repository, [...new Set(people.flat())]);
      return people.map((recordIds) => recordIds.flatMap((id) => byPatient.get(id) ?? []));
    },
    // A failed shared search is asked again per person, so one bad id fails only its delivery.
    retryAlone: (error) => !isDatabaseUnavailable(error),
  });
  return (recordIds) => lookup(recordIds);
}

async function activeConsentsOf(repository: FhirRepository, patients: string[]) {
  const byPatient = new Map<string, Consent[]>();
  for (let at = 0; at < patients.length; at += PATIENTS_PER_SEARCH) {
    const chunk = patients.slice(at, at + PATIENTS_PER_SEARCH);
    const consents = await searchAll<Consent>(repository, {
      resourceType: 'Consent',
      params: [
        ['patient', chunk.map((id) => `Patient/${id}`).join(',')],
        ['status', 'active'],
      ],
      pageSize: 500,
    });
    for (const consent of consents) {
      const id = consent.patient?.reference?.replace(/^Patient\//, '');
      if (id) byPatient.set(id, [...(byPatient.get(id) ?? []), consent]);
    }
  }
  return byPatient;
}
