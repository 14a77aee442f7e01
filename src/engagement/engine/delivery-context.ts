import type { Appointment, CommunicationRequest, Consent } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import { ownQuietHours, zoneOf, type QuietHours } from '../consent/quiet-hours.ts';
import { channelOf, purposeOf, type Channel, type Purpose } from '../model/outreach-codes.ts';
import type { DecisionDeps, OutreachPerson } from './engagement-deps.ts';
import { channelOrder } from './contact-points.ts';
import { appointmentReason, deceasedReason, patientIdOf } from './stop-reasons.ts';

/** Everything the send decision needs about a due request, read once. */
export interface DeliveryContext {
  request: CommunicationRequest & { id: string };
  person: OutreachPerson;
  purpose: Purpose;
  consents: Consent[];
  zone: string;
  /** Her own quiet hours, else the clinic's (read now: a change she made applies at once). */
  quietHours?: QuietHours;
  /** Channels to try, in order (each has an address). */
  channels: Channel[];
  appointment?: Appointment;
  language?: string;
}

/** Why the request must not go at all (it is then revoked with this reason). */
export interface Stop {
  stop: string;
}

/** Reads the person, the consents and the appointment; or says why nobody may be contacted. */
export async function deliveryContext(
  deps: DecisionDeps,
  request: CommunicationRequest & { id: string },
  now: Date,
): Promise<DeliveryContext | Stop> {
  const patientId = patientIdOf(request);
  if (!patientId) return { stop: 'the request names no Patient recipient' };
  const person = await deps.personOf(patientId);
  if (!person) return { stop: `Patient/${patientId} was merged away or is inactive` };
  const about = request.about?.find((r) => r.reference?.startsWith('Appointment/'))?.reference;
  const appointment = about ? await appointmentOf(deps, about) : undefined;
  const purpose = purposeOf(request.category) ?? (appointment ? 'appointment-reminder' : undefined);
  const stop =
    deceasedReason(person.patient) ??
    (about ? appointmentReason(about, appointment, { now, after: purpose === 'survey' }) : undefined);
  if (stop) return { stop };
  if (!purpose) return { stop: 'the request names no outreach purpose in category' };
  const channels = channelOrder(person.patient, {
    requested: channelOf(request.medium),
    fallback: deps.rules.channelFallback,
  });
  return {
    request,
    person,
    purpose,
    consents: await deps.consentsOf(person.recordIds),
    zone: zoneOf(person.patient.address, deps.rules.clinicTimeZone),
    quietHours: ownQuietHours([person.patient, ...(person.records ?? [])]) ?? deps.rules.quietHours,
    channels,
    appointment,
    language: languageOf(person.patient.communication),
  };
}

/** The appointment a request is about; undefined when it no longer exists (deleted). */
async function appointmentOf(deps: DecisionDeps, reference: string): Promise<Appointment | undefined> {
  return deps.repository
    .read<Appointment>('Appointment', reference.slice('Appointment/'.length))
    .catch((error: unknown) => {
      if (isThroughlineError(error) && (error.code === 'NOT_FOUND' || error.code === 'GONE'))
        return undefined;
      throw error;
    });
}

function languageOf(
  communication: { language?: { coding?: { code?: string }[] }; preferred?: boolean }[] | undefined,
) {
  const sorted = [...(communication ?? [])].sort(
    (a, b) => Number(b.preferred ?? false) - Number(a.preferred ?? false),
  );
  return sorted[0]?.language?.coding?.[0]?.code;
}
