import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { planErasure } from '../access/index.ts';
import { loadPersonRecord } from '../journey/index.ts';
import { expungeHistory, type FhirRepository, type SqlDatabase } from '../store/index.ts';
import { compartmentIds, resolvePerson } from './resolve-person.ts';

export interface ErasureRequest {
  /** The privacy service's scoped store: the privacy officer's own role cannot read clinical data. */
  repository: FhirRepository;
  /** For forgetting the history of what was scrubbed or deleted. */
  db: SqlDatabase;
  /** Any record of the person. */
  patientId: string;
  /** The legal basis or request reference, recorded on the flags. */
  reason: string;
  /** When the erasure happens (stamped on the flags). */
  now: Date;
}

export interface ErasureResult {
  /** Every compartment id of the person, for the audit record. */
  patients: string[];
  records: number;
  deleted: number;
  versionsForgotten: number;
}

/**
 * Erasure of a person's contact and engagement data (privacy requests, issue 5): the records
 * are scrubbed, engagement resources deleted and their history forgotten; the clinical record is
 * retained and flagged.
 */
export async function erasePerson(request: ErasureRequest): Promise<ErasureResult> {
  const { repository, reason } = request;
  const person = await resolvePerson(repository, request.patientId);
  const records = person.golden ? [person.golden, ...person.records] : person.records;
  const resources = await loadPersonRecord(repository, compartmentIds(person));
  const plan = planErasure({ records, resources, reason, now: request.now });
  await repository.processBundle(erasureTransaction(plan.scrubbed, plan.deletions, plan.flags));
  const forgotten = await expungeHistory(request.db, [...plan.scrubbed, ...plan.deletions].map(refOf));
  return {
    patients: compartmentIds(person),
    records: plan.scrubbed.length,
    deleted: plan.deletions.length,
    versionsForgotten: forgotten,
  };
}

function erasureTransaction(scrubbed: Resource[], deletions: Resource[], flags: Resource[]): Bundle {
  const entry: BundleEntry[] = [
    ...scrubbed.map((resource) => ({
      resource,
      request: {
        method: 'PUT' as const,
        url: `Patient/${resource.id}`,
        ifMatch: `W/"${resource.meta?.versionId}"`,
      },
    })),
    ...deletions.map((resource) => ({
      request: { method: 'DELETE' as const, url: `${resource.resourceType}/${resource.id}` },
    })),
    ...flags.map((resource) => ({ resource, request: { method: 'POST' as const, url: 'Flag' } })),
  ];
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

const refOf = (resource: Resource) => ({ resourceType: resource.resourceType, id: resource.id as string });
