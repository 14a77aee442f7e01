import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';
import type { EverythingRequest } from '../fhir-repository.ts';
import { readResource } from './read-resource.ts';

interface ContentRow {
  resource_type: string;
  id: string;
  content: string;
}

/**
 * `Patient/{id}/$everything`: the patient, every resource in their compartment (one indexed
 * read on the `compartment` column), and the resources those point to outside it
 * (Practitioner, Organization, Location, Medication, …), fetched in one more query.
 */
export async function patientEverything(
  db: SqlExecutor,
  baseUrl: string,
  request: EverythingRequest,
): Promise<Bundle> {
  const patient = await readResource(db, 'Patient', request.patientId);
  const rows = await db.query<ContentRow>(
    `SELECT resource_type, id, content FROM resource
     WHERE compartment = $1 AND NOT deleted AND NOT (resource_type = 'Patient' AND id = $1)
       AND ($2::text[] IS NULL OR resource_type = ANY($2))
       AND ($3::timestamptz IS NULL OR last_updated >= $3)
     ORDER BY resource_type, id`,
    [request.patientId, request.types ?? null, request.since ?? null],
  );
  const inCompartment = rows.rows.map((row) => JSON.parse(row.content) as Resource);
  const referenced = await readReferencedOutside(db, [patient, ...inCompartment]);
  const all = [patient, ...inCompartment, ...referenced];
  const offset = request.offset ?? 0;
  const page = request.count ? all.slice(offset, offset + request.count) : all;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: all.length,
    link: everythingLinks(baseUrl, request, all.length),
    entry: page.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

async function readReferencedOutside(db: SqlExecutor, resources: Resource[]): Promise<Resource[]> {
  const have = new Set(resources.map((resource) => `${resource.resourceType}/${resource.id}`));
  const wanted = new Set<string>();
  for (const resource of resources) collectReferences(resource, wanted);
  const missing = [...wanted].filter((key) => !have.has(key)).map((key) => key.split('/'));
  if (missing.length === 0) return [];
  const rows = await db.query<ContentRow>(
    `SELECT r.resource_type, r.id, r.content FROM resource r
     JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON r.resource_type = k.t AND r.id = k.i
     WHERE NOT r.deleted ORDER BY r.resource_type, r.id`,
    [missing.map((key) => key[0]), missing.map((key) => key[1])],
  );
  return rows.rows.map((row) => JSON.parse(row.content) as Resource);
}

const relativeReference = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/** Collects every relative `Type/id` reference in a resource. */
function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') {
        const match = relativeReference.exec(child);
        if (match) into.add(`${match[1]}/${match[2]}`);
      } else if (typeof child === 'object') {
        collectReferences(child, into);
      }
    }
  }
}

function everythingLinks(baseUrl: string, request: EverythingRequest, total: number): Bundle['link'] {
  const base = `${baseUrl}/Patient/${request.patientId}/$everything`;
  if (!request.count) return [{ relation: 'self', url: base }];
  const offset = request.offset ?? 0;
  const url = (at: number) => `${base}?_count=${request.count}&_offset=${at}`;
  return [
    { relation: 'self', url: url(offset) },
    ...(offset + request.count < total ? [{ relation: 'next', url: url(offset + request.count) }] : []),
  ];
}
