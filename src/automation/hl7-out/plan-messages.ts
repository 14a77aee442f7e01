import { createHash } from 'node:crypto';
import type { DiagnosticReport, Observation, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { ChangeEvent, FhirRepository } from '../../store/index.ts';
import { buildAdtA08, buildAdtA31, buildOruR01, type Envelope } from './build-messages.ts';
import type { Hl7OutDeps } from './hl7-out-deps.ts';

/** A message an event calls for, built when it is kept. */
export interface PlannedMessage {
  type: 'ADT^A08' | 'ADT^A31' | 'ORU^R01';
  /** `Type/id/_history/version`: what it reports, and (with the type) its key in the message store. */
  resource: string;
  build(envelope: Omit<Envelope, 'controlId'> & { controlId: string }): string;
}

/** What a Patient's demographics and contact points are, for telling a change from a re-save. */
const DEMOGRAPHICS = [
  'identifier',
  'name',
  'telecom',
  'address',
  'gender',
  'birthDate',
  'deceasedBoolean',
  'deceasedDateTime',
  'maritalStatus',
] as const;
const REPORTED_STATUSES = new Set(['final', 'amended', 'corrected']);

/**
 * ADT^A08 and ADT^A31 when a Patient's demographics or contact points changed from its previous
 * version (each destination takes the ones its `?events=` name); ORU^R01 when a DiagnosticReport
 * becomes final (or is amended or corrected).
 */
export async function planMessages(deps: Hl7OutDeps, event: ChangeEvent): Promise<PlannedMessage[]> {
  if (event.action === 'delete' || Number(event.versionId) < 1) return [];
  const resource = `${event.resourceType}/${event.id}/_history/${event.versionId}`;
  if (event.resourceType === 'Patient') {
    const [current, previous] = await versions<Patient>(deps.repository, event);
    if (!current || !previous || deps.skipPatient(current) || !demographicsChanged(previous, current))
      return [];
    return [adtA08(resource, current), adtA31(resource, current)];
  }
  if (event.resourceType === 'DiagnosticReport') {
    const [report, previous] = await versions<DiagnosticReport>(deps.repository, event);
    if (!report || !REPORTED_STATUSES.has(report.status) || previous?.status === report.status) return [];
    const message = await oruR01(deps.repository, { resource, report });
    return message ? [message] : [];
  }
  return [];
}

/** ADT^A08 about one Patient version. */
export function adtA08(resource: string, patient: Patient): PlannedMessage {
  return { type: 'ADT^A08', resource, build: (envelope) => buildAdtA08(envelope, patient) };
}

/** ADT^A31 about one Patient version (update person information). */
export function adtA31(resource: string, patient: Patient): PlannedMessage {
  return { type: 'ADT^A31', resource, build: (envelope) => buildAdtA31(envelope, patient) };
}

/** ORU^R01 about one DiagnosticReport version, with its patient and results as they are now. */
export async function oruR01(
  repository: FhirRepository,
  { resource, report }: { resource: string; report: DiagnosticReport },
): Promise<PlannedMessage | undefined> {
  const patient = await readReference<Patient>(repository, report.subject);
  if (!patient) return undefined;
  const observations = (
    await Promise.all((report.result ?? []).map((ref) => readReference<Observation>(repository, ref)))
  ).filter((each): each is Observation => each !== undefined);
  return {
    type: 'ORU^R01',
    resource,
    build: (envelope) => buildOruR01(envelope, { patient, report, observations }),
  };
}

function demographicsChanged(previous: Patient, current: Patient): boolean {
  return DEMOGRAPHICS.some(
    (element) => JSON.stringify(previous[element]) !== JSON.stringify(current[element]),
  );
}

/** The version the event wrote and the one before it (undefined for a first version). */
async function versions<T extends Resource>(
  repository: FhirRepository,
  event: ChangeEvent,
): Promise<[T | undefined, T | undefined]> {
  const version = Number(event.versionId);
  const read = (v: number) =>
    repository.vread<T>(event.resourceType, event.id, String(v)).catch(absentUnlessUnavailable);
  return Promise.all([read(version), version > 1 ? read(version - 1) : Promise.resolve(undefined)]);
}

async function readReference<T extends Resource>(
  repository: FhirRepository,
  reference: Reference | undefined,
): Promise<T | undefined> {
  const [type, id] = (reference?.reference ?? '').split('/');
  if (!type || !id) return undefined;
  return repository.read<T>(type, id).catch(absentUnlessUnavailable);
}

/**
 * MSH-10: the same for every attempt of one message (a receiver drops a repeat), 20 characters
 * (the v2.5 length), derived from the destination and the key.
 */
export function controlIdOf(destination: string, key: string): string {
  return createHash('sha256').update(`${destination}\n${key}`).digest('hex').slice(0, 20).toUpperCase();
}
