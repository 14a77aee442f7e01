import type { BundleEntry, Patient } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { updateEntry } from '../../fhir/bundle-entries.ts';
import { goldenIdOf, memberIdsOf, withGoldenRef } from './golden-record.ts';
import { buildGolden } from './link-records.ts';
import { defaultSurvivorship, type SurvivorshipConfig } from './survivorship.ts';

/**
 * Takes a source record out of its person (a wrong link): the record stops referring to the
 * golden record, which is rebuilt from the members left — or retired when none is left.
 */
export async function unlinkRecord(
  repository: FhirRepository,
  recordId: string,
  config: SurvivorshipConfig = defaultSurvivorship,
): Promise<Patient> {
  const record = await repository.read<Patient>('Patient', recordId);
  const goldenId = goldenIdOf(record);
  if (!goldenId)
    throw new ThroughlineError('CONFLICT', `Patient/${recordId} is not linked to a golden record`);
  const golden = await repository.read<Patient>('Patient', goldenId);
  const remaining: Patient[] = [];
  for (const id of memberIdsOf(golden).filter((memberId) => memberId !== recordId)) {
    remaining.push(await repository.read<Patient>('Patient', id));
  }
  const entries: BundleEntry[] = [updateEntry(withGoldenRef(record, undefined), record.meta?.versionId)];
  const rebuilt =
    remaining.length > 0
      ? buildGolden(goldenId, remaining, config)
      : { ...golden, active: false, link: undefined };
  entries.push(updateEntry(rebuilt as Patient, golden.meta?.versionId));
  const response = await repository.processBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries,
  });
  return response.entry?.at(-1)?.resource as Patient;
}
