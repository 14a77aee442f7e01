import type { HumanName, Patient } from '@medplum/fhirtypes';
import type { Principal } from '../access/index.ts';
import { listReviewsFor, type ReviewItem } from '../identity/index.ts';
import type { Patient360 } from '../journey/index.ts';
import { isThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';
import { compartmentIds, type ResolvedPerson } from './resolve-person.ts';
import type { ServerDeps } from './server-deps.ts';

type PossibleDuplicate = Patient360['possibleDuplicates'][number];

export interface DuplicateQuery {
  /** The caller's scoped store: what it may not read is not shown, and every read is audited. */
  repository: FhirRepository;
  principal: Principal;
  person: ResolvedPerson;
}

const nameOf = (name?: HumanName) =>
  name ? (name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ')) : undefined;

/** The other record of a pair, or nothing when the caller may not read it (or it is gone). */
async function readCandidate(repository: FhirRepository, id: string): Promise<Patient | undefined> {
  return repository.read<Patient>('Patient', id).catch((error: unknown) => {
    if (isThroughlineError(error)) return undefined;
    throw error;
  });
}

function toDuplicate(item: ReviewItem, own: string, candidate: Patient): PossibleDuplicate {
  return {
    task: `Task/${item.taskId}`,
    status: item.status,
    score: item.score,
    agreeing: item.explanation.filter((field) => field.weight > 0).sort((a, b) => b.weight - a.weight),
    record: `Patient/${own}`,
    candidate: {
      reference: `Patient/${candidate.id}`,
      name: nameOf(candidate.name?.[0]),
      birthDate: candidate.birthDate,
      telecom: (candidate.telecom ?? []).map((point) => point.value ?? '').filter(Boolean),
      source: candidate.meta?.source,
    },
    since: item.createdAt,
  };
}

/**
 * Identity's pending reviews that involve the person's records, shaped for the 360 view
 * (identity says who may be the same person, journey shows it: composed here). A patient (or
 * proxy) acting for themselves gets none: the other record is by definition not yet theirs,
 * and its name, phone and score are another person's data until staff decide. A role that
 * may not read review Tasks gets none either, rather than a failed view.
 */
export async function possibleDuplicatesOf(
  deps: ServerDeps,
  query: DuplicateQuery,
): Promise<PossibleDuplicate[]> {
  if (query.principal.patient) return [];
  const identity = { repository: query.repository, db: deps.db, engine: deps.engine };
  const items = await listReviewsFor(identity, query.person.records).catch((error: unknown) => {
    if (isThroughlineError(error) && error.code === 'FORBIDDEN') return [];
    throw error;
  });
  const mine = new Set(compartmentIds(query.person));
  const duplicates: PossibleDuplicate[] = [];
  for (const item of items) {
    const own = item.recordIds.find((id) => mine.has(id));
    const other = item.recordIds.find((id) => !mine.has(id));
    if (!own || !other) continue;
    const candidate = await readCandidate(query.repository, other);
    if (candidate) duplicates.push(toDuplicate(item, own, candidate));
  }
  return duplicates;
}
