import { hasPatientCompartment } from '../fhir/compartment.ts';
import { journeyCohortPatients, type JourneyCatalog, type JourneyCohortQuery } from '../journey/index.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';

/** A campaign reaches at most this many people; larger cohorts are split into several. */
export const MAX_CAMPAIGN_PEOPLE = 5000;
/** One part of a cohort before the others narrow it (each of its people is resolved to a person). */
const MAX_PART_PEOPLE = 4 * MAX_CAMPAIGN_PEOPLE;
/** Stored rows per page of a cohort's search (the store's largest). */
const pageSize = 1000;

/**
 * A campaign's cohort as asked: a FHIR search (`"Patient?…"`, the older form), or an object whose
 * parts all narrow it — `search`, and where the people are in their care from the journey
 * engine's results: `journey` (with `stage`: at that stage now) and `careGap` (a care-gap rule
 * open now). `{search: 'Patient?address-city=Springfield', careGap: 'diabetes-hba1c-overdue'}`
 * is the diabetics of Springfield with an open HbA1c gap.
 */
export interface CohortAsked extends JourneyCohortQuery {
  search?: string;
}

const invalid = (message: string, field: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression: field });

/** The cohort from the request body, each field checked (a bad one named `cohort.…`). */
export function cohortAskedOf(value: unknown): CohortAsked {
  if (typeof value === 'string') return { search: searchText(value, 'cohort') };
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw invalid('cohort must be a FHIR search or {search, journey, stage, careGap}', 'cohort');
  const asked = value as Record<string, unknown>;
  const field = (name: keyof CohortAsked) => {
    const given = asked[name];
    if (given === undefined || given === '') return undefined;
    if (typeof given !== 'string' || given.length > 200)
      throw invalid(`cohort.${name} must be text of up to 200 characters`, `cohort.${name}`);
    return given;
  };
  const search = asked.search === undefined ? undefined : searchText(asked.search, 'cohort.search');
  const cohort = { search, journey: field('journey'), stage: field('stage'), careGap: field('careGap') };
  if (cohort.stage && !cohort.journey) throw invalid('A stage needs its journey', 'cohort.journey');
  if (!cohort.search && !cohort.journey && !cohort.careGap)
    throw invalid('cohort needs a search, a journey or a care gap', 'cohort');
  return Object.fromEntries(Object.entries(cohort).filter(([, part]) => part)) as CohortAsked;
}

function searchText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2000)
    throw invalid(`${field} must be a FHIR search of 1 to 2000 characters`, field);
  return value;
}

/** The cohort in words, kept on the campaign (the report shows how its people were chosen). */
export function describeCohort(cohort: CohortAsked, catalog: JourneyCatalog): string {
  const journey = catalog.journeys.find((each) => each.id === cohort.journey);
  const stage = journey?.stages.find((each) => each.code === cohort.stage);
  const gap = catalog.signals.find((each) => each.id === cohort.careGap);
  return [
    cohort.search,
    journey && `in ${journey.title}${stage ? `, stage ${stage.display}` : ''}`,
    gap && `open care gap: ${gap.title}`,
  ]
    .filter(Boolean)
    .join(' AND ');
}

/**
 * Everyone in the cohort, each once, in the order found: every part narrows. Each part's people
 * are first made persons (`asPersons`: identity's golden record for a linked source record), so
 * a search that finds a source record and a journey result on the golden one meet.
 */
export async function cohortPatients(
  repository: FhirRepository,
  request: {
    cohort: CohortAsked;
    catalog: JourneyCatalog;
    asPersons: (patients: string[]) => Promise<string[]>;
  },
): Promise<string[]> {
  const { cohort, catalog, asPersons } = request;
  const part = async (found: string[]) => asPersons(bounded(found, MAX_PART_PEOPLE));
  const parts: string[][] = [];
  if (cohort.search)
    parts.push(await part(await searchedPatients(repository, cohort.search, { limit: MAX_PART_PEOPLE })));
  if (cohort.journey || cohort.careGap)
    parts.push(await part(await journeyCohortPatients(repository, { catalog, query: cohort })));
  const [first = [], ...rest] = parts;
  const narrowing = rest.map((part) => new Set(part));
  return bounded(
    first.filter((patient) => narrowing.every((each) => each.has(patient))),
    MAX_CAMPAIGN_PEOPLE,
  );
}

function bounded(patients: string[], limit: number): string[] {
  if (patients.length > limit)
    throw invalid(
      // A search stops counting at the limit: it is "more than" it, not how many.
      `The cohort has more than ${limit} people; a campaign reaches at most ${MAX_CAMPAIGN_PEOPLE}` +
        (limit > MAX_CAMPAIGN_PEOPLE ? ' (narrow each part to fewer than ' + limit + ')' : ''),
      'cohort',
    );
  return patients;
}

/** Parameters that shape a search's answer, not whom it finds: a cohort leaves them out. */
const answerShaping = new Set([
  '_count',
  '_offset',
  '_sort',
  '_include',
  '_revinclude',
  '_elements',
  '_summary',
  '_total',
]);

/**
 * A FHIR search, `Type?params`: Patients themselves, or any resource of the patient compartment
 * standing for its patient (`Task?code=…|care-gap&status=requested`: the people with an open
 * care gap), each once, in id order of what it finds. Read as keyset pages of stored rows (each
 * row's patient is its compartment: nothing parsed), through the repository given, so a scoped
 * store checks and audits each page. With `limit`, it stops once it has found `limit + 1`
 * patients: enough for the caller to refuse a cohort too large without reading every match.
 */
export async function searchedPatients(
  repository: FhirRepository,
  search: string,
  options: { limit?: number } = {},
): Promise<string[]> {
  const [resourceType = '', query = ''] = search.replace(/^\//, '').split('?');
  if (!/^[A-Z][A-Za-z]+$/.test(resourceType) || !hasPatientCompartment(resourceType))
    throw invalid('cohort must be a search of Patient or of a type in the patient compartment', 'cohort');
  const params = [...new URLSearchParams(query)].filter(([name]) => !answerShaping.has(name));
  const wanted = (options.limit ?? Infinity) + 1;
  const found = new Set<string>();
  for (let after: string | undefined = ''; after !== undefined && found.size < wanted;) {
    // A Patient row is one patient: a page of exactly what is still wanted reads no further.
    const count = Math.min(pageSize, wanted - found.size);
    const page = await repository.readStoredPage({
      resourceType,
      params: [...params, ['_count', String(count)]],
      after,
    });
    for (const row of page.rows)
      if (row.compartment && found.size < wanted) found.add(`Patient/${row.compartment}`);
    after = page.next;
  }
  return [...found];
}
