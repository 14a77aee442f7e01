import type { BundleEntry, Patient } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { FhirRepository } from '../../store/index.ts';
import { updateEntry } from '../../fhir/bundle-entries.ts';
import { GOLDEN_TAG, goldenIdOf, isGolden, memberIdsOf, withGoldenRef } from './golden-record.ts';
import { defaultSurvivorship, surviveFields, type SurvivorshipConfig } from './survivorship.ts';

export interface LinkResult {
  golden: Patient;
  members: string[];
  /** Golden records folded into the survivor (two people's groups found to be one). */
  retired: string[];
}

/**
 * Links source records as one person: they (and everyone already linked with them) end up
 * referring to one golden record, rebuilt by survivorship. When the records belonged to
 * different golden records, the oldest survives and the others are retired (`active: false`,
 * `replaced-by` the survivor) — never deleted. One transaction with `If-Match` throughout.
 */
export async function linkRecords(
  repository: FhirRepository,
  recordIds: string[],
  config: SurvivorshipConfig = defaultSurvivorship,
): Promise<LinkResult> {
  const { members, goldens } = await readGroup(repository, recordIds);
  const survivor = [...goldens].sort((a, b) =>
    (a.meta?.lastUpdated ?? '').localeCompare(b.meta?.lastUpdated ?? ''),
  )[0];
  const goldenId = survivor?.id ?? newId();
  const entries: BundleEntry[] = members
    .filter((record) => goldenIdOf(record) !== goldenId)
    .map((record) => updateEntry(withGoldenRef(record, goldenId), record.meta?.versionId));
  const retired = goldens.filter((golden) => golden.id !== goldenId);
  for (const golden of retired) entries.push(retiredEntry(golden, goldenId));
  const rebuilt = buildGolden(
    goldenId,
    members.map((record) => withGoldenRef(record, goldenId)),
    config,
  );
  entries.push(updateEntry(rebuilt, survivor?.meta?.versionId));
  const response = await repository.processBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries,
  });
  return {
    golden: response.entry?.at(-1)?.resource as Patient,
    members: members.map((record) => record.id as string),
    retired: retired.map((golden) => golden.id as string),
  };
}

/**
 * The records to link and everyone already linked with them (members of their golden
 * records), and those golden records.
 */
async function readGroup(
  repository: FhirRepository,
  recordIds: string[],
): Promise<{ members: Patient[]; goldens: Patient[] }> {
  const records = new Map<string, Patient>();
  for (const id of new Set(recordIds)) records.set(id, await readSourceRecord(repository, id));
  const goldens = await readGoldens(repository, [...records.values()]);
  for (const golden of goldens) {
    for (const memberId of memberIdsOf(golden))
      if (!records.has(memberId)) records.set(memberId, await readSourceRecord(repository, memberId));
  }
  return { members: [...records.values()], goldens };
}

/** A golden record folded into the survivor: inactive and `replaced-by` it, never deleted. */
function retiredEntry(golden: Patient, survivorId: string): BundleEntry {
  return updateEntry(
    {
      ...golden,
      active: false,
      link: [{ other: { reference: `Patient/${survivorId}` }, type: 'replaced-by' }],
    },
    golden.meta?.versionId,
  );
}

/** The golden record for these members: survivorship fields, tag, and a `seealso` per member. */
export function buildGolden(
  goldenId: string,
  members: Patient[],
  config: SurvivorshipConfig = defaultSurvivorship,
): Patient {
  return {
    resourceType: 'Patient',
    id: goldenId,
    meta: { tag: [GOLDEN_TAG] },
    active: true,
    ...surviveFields(members, config),
    link: members.map((record) => ({
      other: { reference: `Patient/${record.id}` },
      type: 'seealso' as const,
    })),
  };
}

async function readSourceRecord(repository: FhirRepository, id: string): Promise<Patient> {
  const record = await repository.read<Patient>('Patient', id);
  if (isGolden(record)) {
    throw new ThroughlineError('INVALID_REQUEST', `Patient/${id} is a golden record; link source records`, {
      expression: 'Patient',
    });
  }
  return record;
}

async function readGoldens(repository: FhirRepository, records: Patient[]): Promise<Patient[]> {
  const goldens = new Map<string, Patient>();
  for (const record of records) {
    const id = goldenIdOf(record);
    if (!id || goldens.has(id)) continue;
    const golden = await repository.read<Patient>('Patient', id);
    // Only identity's own link state counts: a `refer` link to a record that is not a golden
    // record listing this one (written by someone else) never folds or retires anything.
    if (golden.active !== false && isGolden(golden) && memberIdsOf(golden).includes(record.id ?? ''))
      goldens.set(id, golden);
  }
  return [...goldens.values()];
}
