import { absentUnlessUnavailable } from '../kernel/errors.ts';
import type { Patient } from '@medplum/fhirtypes';
import { goldenIdOf, isGolden, memberIdsOf } from '../identity/index.ts';
import type { Person } from '../journey/index.ts';
import type { FhirRepository } from '../store/index.ts';

export interface ResolvedPerson {
  golden?: Patient;
  records: Patient[];
}

/**
 * Who a patient id stands for: the golden record (if linked) and every source record of the
 * person. Identity decides who the person is, journey what to show and do; the server composes
 * them, so neither capability imports the other.
 *
 * A patient's own access widens to this person (auth-hook), so only identity's link state
 * counts, and only where both sides agree: the golden record is tagged and lists the record,
 * and each member it lists refers back to it. A link or tag written on one side alone — by a
 * caller trying to claim someone else's record — links nobody.
 */
export async function resolvePerson(repository: FhirRepository, id: string): Promise<ResolvedPerson> {
  const patient = await repository.read<Patient>('Patient', id);
  const golden = await confirmedGoldenOf(repository, patient);
  if (!golden) return { records: [patient] };
  const records: Patient[] = [];
  for (const memberId of memberIdsOf(golden)) {
    const member =
      memberId === patient.id
        ? patient
        : await repository.read<Patient>('Patient', memberId).catch(absentUnlessUnavailable);
    if (member && goldenIdOf(member) === golden.id) records.push(member);
  }
  return { golden, records };
}

/** The golden record of a record, when both sides agree (a golden record stands for itself). */
async function confirmedGoldenOf(repository: FhirRepository, patient: Patient): Promise<Patient | undefined> {
  if (isGolden(patient)) return patient;
  const goldenId = goldenIdOf(patient);
  if (!goldenId) return undefined;
  const golden = await repository.read<Patient>('Patient', goldenId).catch(absentUnlessUnavailable);
  return golden && isGolden(golden) && memberIdsOf(golden).includes(patient.id ?? '') ? golden : undefined;
}

/** Every patient id whose compartment holds part of the person's story (golden first). */
export function compartmentIds(person: ResolvedPerson): string[] {
  return [...new Set([person.golden?.id, ...person.records.map((record) => record.id)])].filter(
    (id): id is string => typeof id === 'string',
  );
}

/**
 * The journey engine's view of a person: journey artifacts attach to the golden record when
 * there is one. Records merged away or deactivated are no person of their own; neither is a
 * record that no longer exists.
 */
export function personResolver(
  repository: FhirRepository,
): (patientId: string) => Promise<Person | undefined> {
  return async (patientId) => {
    const person = await resolvePerson(repository, patientId).catch(absentUnlessUnavailable);
    if (!person) return undefined;
    const self = person.records.find((record) => record.id === patientId);
    if (!person.golden && self?.active === false) return undefined;
    const id = person.golden?.id ?? patientId;
    return { id, recordIds: compartmentIds(person) };
  };
}
