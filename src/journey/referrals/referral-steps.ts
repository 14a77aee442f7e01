import type {
  Appointment,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Resource,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';

/** The steps of a referral loop, in order. */
export type ReferralStep = 'sent' | 'accepted' | 'booked' | 'seen' | 'report-received';

/** When each step a referral reached was reached, and the booked appointment's start. */
export interface ReferralProgress {
  referral: ServiceRequest;
  reached: Partial<Record<ReferralStep, string>>;
  appointmentStart?: string;
}

const REFERRAL_CATEGORY = '3457005';
const LIVE_APPOINTMENT = new Set(['proposed', 'pending', 'booked', 'arrived', 'checked-in', 'fulfilled']);
const SEEN_APPOINTMENT = new Set(['arrived', 'checked-in', 'fulfilled']);
const ACCEPTED_TASK = new Set(['accepted', 'in-progress', 'completed']);

export function isReferral(resource: Resource): resource is ServiceRequest {
  return (
    resource.resourceType === 'ServiceRequest' &&
    ((resource as ServiceRequest).category ?? []).some((concept) =>
      concept.coding?.some((coding) => coding.code === REFERRAL_CATEGORY),
    )
  );
}

/**
 * How far each referral in a record got, from the record alone: the request itself (sent), a
 * Task on it the receiving service accepted, an Appointment `basedOn` it (booked; arrived or
 * fulfilled: seen), an Encounter `basedOn` it (seen), and a report back — matched by reference
 * or, for reports that arrived by HL7 before the request did, by the request's identifiers.
 */
export function referralProgress(record: Resource[]): ReferralProgress[] {
  return record.filter(isReferral).map((referral) => {
    const about = answersTo(referral);
    const appointments = record.filter(
      (r): r is Appointment => r.resourceType === 'Appointment' && about(r.basedOn),
    );
    const booked = appointments.filter((a) => LIVE_APPOINTMENT.has(a.status));
    const reached: ReferralProgress['reached'] = {
      sent: referral.authoredOn ?? referral.meta?.lastUpdated,
      accepted: earliest(acceptedAt(record, about)),
      booked: earliest(booked.map((a) => a.created ?? a.meta?.lastUpdated)),
      seen: earliest([...seenAppointments(booked), ...seenEncounters(record, about)]),
      'report-received': earliest(reportsAt(record, about)),
    };
    return {
      referral,
      reached: withoutGaps(reached),
      appointmentStart: earliest(booked.map((a) => a.start)),
    };
  });
}

type About = (
  references: { reference?: string; identifier?: { system?: string; value?: string } }[] | undefined,
) => boolean;

/** Whether references name this referral: by `ServiceRequest/id` or by one of its identifiers. */
function answersTo(referral: ServiceRequest): About {
  const reference = `ServiceRequest/${referral.id}`;
  const identifiers = new Set((referral.identifier ?? []).map((id) => `${id.system}|${id.value}`));
  return (references) =>
    (references ?? []).some(
      (r) =>
        r.reference === reference ||
        (r.identifier !== undefined && identifiers.has(`${r.identifier.system}|${r.identifier.value}`)),
    );
}

function acceptedAt(record: Resource[], about: About): (string | undefined)[] {
  return record
    .filter((r): r is Task => r.resourceType === 'Task' && ACCEPTED_TASK.has((r as Task).status))
    .filter((task) => about([task.focus ?? {}, ...(task.basedOn ?? [])]))
    .map((task) => task.lastModified ?? task.authoredOn);
}

function seenAppointments(booked: Appointment[]): (string | undefined)[] {
  return booked.filter((a) => SEEN_APPOINTMENT.has(a.status)).map((a) => a.start);
}

function seenEncounters(record: Resource[], about: About): (string | undefined)[] {
  return record
    .filter((r): r is Encounter => r.resourceType === 'Encounter' && about((r as Encounter).basedOn))
    .map((encounter) => encounter.period?.start);
}

function reportsAt(record: Resource[], about: About): (string | undefined)[] {
  const documents = record
    .filter((r): r is DocumentReference => r.resourceType === 'DocumentReference')
    .filter((document) => about(document.context?.related))
    .map((document) => document.date ?? document.meta?.lastUpdated);
  const reports = record
    .filter((r): r is DiagnosticReport => r.resourceType === 'DiagnosticReport')
    .filter((report) => about(report.basedOn) && ['final', 'amended', 'corrected'].includes(report.status))
    .map((report) => report.issued ?? report.effectiveDateTime ?? report.meta?.lastUpdated);
  return [...documents, ...reports];
}

function earliest(times: (string | undefined)[]): string | undefined {
  return times.filter((time): time is string => Boolean(time)).sort()[0];
}

/**
 * A later step implies the earlier ones (a report back means the patient was seen), so a step
 * with no time of its own takes the time of the next step reached; `accepted` is optional.
 */
function withoutGaps(reached: ReferralProgress['reached']): ReferralProgress['reached'] {
  const filled = { ...reached };
  const order: ReferralStep[] = ['report-received', 'seen', 'booked'];
  for (let i = 1; i < order.length; i++) {
    const step = order[i]!;
    filled[step] ??= filled[order[i - 1]!];
  }
  for (const step of Object.keys(filled) as ReferralStep[]) if (!filled[step]) delete filled[step];
  return filled;
}
