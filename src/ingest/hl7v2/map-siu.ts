import type { Appointment, BundleEntry } from '@medplum/fhirtypes';
import {
  componentsOf,
  firstSegment,
  hl7ToFhirDateTime,
  segmentsOf,
  valueAt,
  type Segment,
} from '../../hl7v2/index.ts';
import { Hl7Error, Hl7ErrorCodes } from '../../hl7v2/index.ts';
import { derivedIdentifier, referenceTo, upsertEntry, type MapContext } from './map-context.ts';
import { clean } from './clean-resource.ts';
import { mapPatient } from './map-patient.ts';
import { personDisplay, toCodeableConcept } from './v2-datatypes.ts';

/** SIU trigger → Appointment.status (S12 new, S13 rescheduled, S14 modified, S15 cancelled, S17 deleted, S26 no-show). */
const statusByTrigger: Record<string, Appointment['status']> = {
  S12: 'booked',
  S13: 'booked',
  S14: 'booked',
  S15: 'cancelled',
  S16: 'cancelled',
  S17: 'entered-in-error',
  S26: 'noshow',
};

/** The SCH segment: an SIU without one has nothing to schedule. */
function requiredSch(context: MapContext): Segment {
  const sch = firstSegment(context.message, 'SCH');
  if (!sch)
    throw new Hl7Error(Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR, 'SCH segment is required', {
      location: { segment: 'SCH' },
      severity: 'error',
    });
  return sch;
}

/** SIU S12–S17, S26 → Appointment (SCH timing, reason, AIP/AIL resources) for the PID patient. */
export function mapSiu(context: MapContext): BundleEntry[] {
  const d = context.message.delimiters;
  const sch = requiredSch(context);
  const patient = mapPatient(context);
  const [placer, filler] = [componentsOf(sch.fields[1] ?? '', d)[0], componentsOf(sch.fields[2] ?? '', d)[0]];
  const start =
    valueAt(sch, d, { field: 11, component: 4 }) ?? firstSegment(context.message, 'AIS')?.fields[4];
  const end = valueAt(sch, d, { field: 11, component: 5 });
  const minutes = Number(
    valueAt(sch, d, 9) ?? valueAt(sch, d, { field: 11, component: 3 })?.replace(/\D/g, '') ?? '',
  );
  const practitioners = segmentsOf(context.message, 'AIP')
    .map((aip) => personDisplay(aip.fields[3], d))
    .filter(Boolean);
  const locations = segmentsOf(context.message, 'AIL')
    .map((ail) => valueAt(ail, d, { field: 3, component: 1 }) ?? valueAt(ail, d, { field: 3, component: 2 }))
    .filter(Boolean);
  const appointment: Appointment = {
    resourceType: 'Appointment',
    status: statusByTrigger[context.header.triggerEvent ?? ''] ?? 'booked',
    reasonCode: [toCodeableConcept(sch.fields[6], d)].filter((concept) => concept !== undefined),
    appointmentType: toCodeableConcept(sch.fields[8], d),
    start: start ? hl7ToFhirDateTime(start, { segment: 'SCH', field: 11 }) : undefined,
    end: end ? hl7ToFhirDateTime(end, { segment: 'SCH', field: 11 }) : undefined,
    minutesDuration: Number.isFinite(minutes) && minutes > 0 ? minutes : undefined,
    participant: [
      { actor: { ...referenceTo(patient) }, status: 'accepted' },
      ...practitioners.map((display) => ({ actor: { display }, status: 'accepted' as const })),
      ...locations.map((display) => ({ actor: { display }, status: 'accepted' as const })),
    ],
  };
  const key =
    filler || placer
      ? { system: `${context.source}:appointment`, value: (filler ?? placer) as string }
      : derivedIdentifier(context, context.header.controlId, 'SCH');
  return [patient, upsertEntry(clean(appointment), key, context.source)];
}
