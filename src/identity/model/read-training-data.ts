import type { Patient, Resource, Task } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { isGolden } from '../golden/golden-record.ts';
import { toMatchRecord, type MatchRecord } from '../engine/match-record.ts';
import { REVIEW_CODE, REVIEW_CODE_SYSTEM, reviewItemOf } from '../review/review-task.ts';
import type { LabelledPair } from './anchored-em.ts';

export interface TrainingData {
  records: MatchRecord[];
  labels: LabelledPair[];
}

const PAGE = 1000;

/**
 * What a model version is trained on, read through the caller's (checked, audited) store:
 * every live source record — golden and retired records are not people's records — and every
 * decided review: link or merge is a match, reject a non-match; deferred and open ones say
 * nothing. A decided pair whose record has since been merged away is still read: what staff
 * saw is what they decided on.
 */
export async function readTrainingData(repository: FhirRepository): Promise<TrainingData> {
  const patients = (await readAll<Patient>(repository, 'Patient', [])).filter(
    (patient) => !isGolden(patient) && patient.active !== false,
  );
  const population: Population = {
    index: new Map(patients.map((patient, i) => [patient.id as string, i])),
    records: patients.map(toMatchRecord),
  };
  const decided = await readAll<Task>(repository, 'Task', [
    ['code', `${REVIEW_CODE_SYSTEM}|${REVIEW_CODE}`],
    ['status', 'completed,rejected'],
  ]);
  const labels: LabelledPair[] = [];
  for (const task of decided) {
    const [first, second] = reviewItemOf(task).recordIds;
    const a = await indexOf(repository, first, population);
    const b = await indexOf(repository, second, population);
    if (a !== undefined && b !== undefined) labels.push({ a, b, match: task.status === 'completed' });
  }
  return { records: population.records, labels };
}

/** The training records, and each one's index by Patient id. */
interface Population {
  index: Map<string, number>;
  records: MatchRecord[];
}

/** The record's training index, reading (and adding) a record outside the live population. */
async function indexOf(
  repository: FhirRepository,
  id: string,
  { index, records }: Population,
): Promise<number | undefined> {
  const known = index.get(id);
  if (known !== undefined) return known;
  const patient = await repository.read<Patient>('Patient', id).catch(() => undefined);
  if (!patient) return undefined;
  index.set(id, records.push(toMatchRecord(patient)) - 1);
  return index.get(id);
}

/** Every resource of a search, page by page in id order (stable while others write). */
async function readAll<T extends Resource>(
  repository: FhirRepository,
  resourceType: string,
  params: [string, string][],
): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const bundle = await repository.search({
      resourceType,
      params: [
        ...params,
        ['_sort', '_id'],
        ['_count', String(PAGE)],
        ['_total', 'none'],
        ['_offset', String(offset)],
      ],
    });
    const page = (bundle.entry ?? []).map((entry) => entry.resource as T);
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}
