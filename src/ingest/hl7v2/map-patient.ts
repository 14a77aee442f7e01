import type { BundleEntry, Patient } from '@medplum/fhirtypes';
import { firstSegment, valueAt, type Segment } from '../../hl7v2/index.ts';
import { ADMINISTRATIVE_SEX, Hl7Error, Hl7ErrorCodes, hl7ToFhirDateTime } from '../../hl7v2/index.ts';
import { clean } from './clean-resource.ts';
import { upsertEntry, type MapContext } from './map-context.ts';
import { toAddresses, toCodeableConcept, toIdentifiers, toNames, toTelecoms } from './v2-datatypes.ts';

const genders: Record<string, Patient['gender']> = ADMINISTRATIVE_SEX;

/**
 * PID (and PD1) → Patient, by its first PID-3 identifier (MR preferred): a stream of messages
 * for one MRN never creates a second Patient. Registration (ADT) is the authority on
 * demographics and updates the Patient; other messages (results, orders, appointments,
 * documents) only name the patient — their PID, often a stale copy, creates the Patient if
 * it is new and otherwise leaves the registered one as it is.
 */
export function mapPatient(
  context: MapContext,
  role: 'registration' | 'reference' = 'reference',
): BundleEntry {
  const pid = firstSegment(context.message, 'PID');
  if (!pid)
    throw new Hl7Error(Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR, 'PID segment is required', {
      location: { segment: 'PID' },
      severity: 'error',
    });
  const d = context.message.delimiters;
  const identifier = [...toIdentifiers(pid, 3, d), ...toIdentifiers(pid, 2, d)];
  if (identifier.length === 0) {
    throw new Hl7Error(Hl7ErrorCodes.REQUIRED_FIELD_MISSING, 'PID-3 (patient identifier list) is required', {
      location: { segment: 'PID', sequence: 1, field: 3 },
      severity: 'error',
    });
  }
  const patient: Patient = {
    resourceType: 'Patient',
    identifier,
    name: toNames(pid, 5, d),
    telecom: [
      ...toTelecoms(pid, { field: 13, use: 'home' }, d),
      ...toTelecoms(pid, { field: 14, use: 'work' }, d),
    ],
    address: toAddresses(pid, 11, d),
    ...demographics(pid, context),
  };
  const primary = identifier.find((id) => id.type?.coding?.[0]?.code === 'MR') ?? identifier[0];
  const entry = upsertEntry(clean(patient), primary, context.source);
  const criteria = entry.request?.url.split('?')[1];
  if (role === 'registration' || !criteria) return entry;
  return { ...entry, request: { method: 'POST', url: 'Patient', ifNoneExist: criteria } };
}

function demographics(pid: Segment, context: MapContext): Partial<Patient> {
  const d = context.message.delimiters;
  const birth = valueAt(pid, d, 7);
  const death = valueAt(pid, d, 29);
  const language = toCodeableConcept(pid.fields[15], d);
  const result: Partial<Patient> = {
    gender: genders[(valueAt(pid, d, 8) ?? '').toUpperCase()],
    birthDate: birth
      ? hl7ToFhirDateTime(birth.slice(0, 8), { segment: 'PID', sequence: 1, field: 7 })
      : undefined,
    maritalStatus: toCodeableConcept(pid.fields[16], d),
    communication: language ? [{ language, preferred: true }] : undefined,
  };
  if (death) result.deceasedDateTime = hl7ToFhirDateTime(death, { segment: 'PID', sequence: 1, field: 29 });
  else if (valueAt(pid, d, 30) === 'Y') result.deceasedBoolean = true;
  return result;
}
