import type {
  Appointment,
  Communication,
  Observation,
  Resource,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { REFERRAL_LOOP_SYSTEM } from '../engine/journey-codes.ts';
import { resourceDate } from './resource-dates.ts';

export interface AttentionItem {
  kind:
    | 'unconfirmed-appointment'
    | 'missed-appointment'
    | 'referral-not-booked'
    | 'abnormal-result'
    | 'unanswered-message'
    | 'open-task'
    | 'possible-duplicate';
  text: string;
  date?: string;
  reference: string;
}

const DAY = 86_400_000;
const ref = (resource: Resource) => `${resource.resourceType}/${resource.id}`;
const label = (concept: { text?: string; coding?: { display?: string; code?: string }[] } | undefined) =>
  concept?.text ?? concept?.coding?.[0]?.display ?? concept?.coding?.[0]?.code ?? 'unnamed';

/**
 * What the front desk must act on, first: unconfirmed upcoming appointments, recent no-shows,
 * referrals nobody booked, recent abnormal results, messages from the patient nobody answered,
 * and open tasks. Each item points at the resource it is about. The text never carries a raw
 * timestamp: `date` does, for the screen to show on the viewer's clock and in words.
 */
export function needsAttention(resources: Resource[], now: Date): AttentionItem[] {
  const of = <T extends Resource>(type: string) =>
    resources.filter((resource) => resource.resourceType === type) as T[];
  const appointments = of<Appointment>('Appointment');
  const items: AttentionItem[] = [
    ...appointmentItems(appointments, now),
    ...unbookedReferrals(of<ServiceRequest>('ServiceRequest'), appointments),
    ...abnormalResults(of<Observation>('Observation'), now),
    ...unanswered(of<Communication>('Communication')),
    ...openTasks(of<Task>('Task'), now),
  ];
  return items.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
}

/** Upcoming appointments nobody confirmed, and no-shows of the last 90 days. */
function appointmentItems(appointments: Appointment[], now: Date): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const appointment of appointments) {
    const start = Date.parse(appointment.start ?? '');
    if (['proposed', 'pending'].includes(appointment.status) && start >= now.getTime())
      items.push({
        kind: 'unconfirmed-appointment',
        text: 'Unconfirmed appointment',
        date: appointment.start,
        reference: ref(appointment),
      });
    if (appointment.status === 'noshow' && now.getTime() - start < 90 * DAY)
      items.push({
        kind: 'missed-appointment',
        text: 'Missed appointment',
        date: appointment.start,
        reference: ref(appointment),
      });
  }
  return items;
}

/** Active referrals that no (uncancelled) appointment is based on. */
function unbookedReferrals(requests: ServiceRequest[], appointments: Appointment[]): AttentionItem[] {
  const bookedFor = new Set(
    appointments
      .filter((a) => a.status !== 'cancelled')
      .flatMap((a) => (a.basedOn ?? []).map((basedOn) => basedOn.reference)),
  );
  const items: AttentionItem[] = [];
  for (const request of requests) {
    const isReferral = (request.category ?? []).some((category) =>
      /referral|3457005/i.test(JSON.stringify(category)),
    );
    if (isReferral && request.status === 'active' && !bookedFor.has(ref(request)))
      items.push({
        kind: 'referral-not-booked',
        text: `Referral not booked: ${label(request.code)}`,
        date: request.authoredOn,
        reference: ref(request),
      });
  }
  return items;
}

/** Results interpreted as not normal in the last 30 days. */
function abnormalResults(observations: Observation[], now: Date): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const observation of observations) {
    const flag = observation.interpretation?.[0]?.coding?.[0]?.code;
    if (
      flag &&
      !['N', 'normal'].includes(flag) &&
      now.getTime() - Date.parse(resourceDate(observation)) < 30 * DAY
    )
      items.push({
        kind: 'abnormal-result',
        text: `Abnormal result (${flag}): ${label(observation.code)}`,
        date: resourceDate(observation),
        reference: ref(observation),
      });
  }
  return items;
}

function openTasks(tasks: Task[], now: Date): AttentionItem[] {
  return tasks
    .filter((task) => ['requested', 'ready', 'in-progress', 'received', 'accepted'].includes(task.status))
    .filter((task) => !isReferralLoop(task) || isOverdue(task, now))
    .map((task) => ({
      kind: 'open-task' as const,
      text: isReferralLoop(task)
        ? `Referral overdue after "${task.businessStatus?.text ?? 'sent'}": ${label(task.code)}`
        : `Open task: ${task.description ?? label(task.code)}`,
      date: task.authoredOn,
      reference: ref(task),
    }));
}

/** A referral loop's tracking Task: shown only when its next step is overdue (else it is just progress). */
const isReferralLoop = (task: Task) =>
  task.code?.coding?.some((coding) => coding.system === REFERRAL_LOOP_SYSTEM);
const isOverdue = (task: Task, now: Date) => Date.parse(task.restriction?.period?.end ?? '') < now.getTime();

/** An inbound message (sent by the patient) with no outbound message after it. */
function unanswered(communications: Communication[]): AttentionItem[] {
  // From her side: the patient, or a caregiver acting for her (her grant's RelatedPerson).
  const fromPatient = (c: Communication) => /^(Patient|RelatedPerson)\//.test(c.sender?.reference ?? '');
  const lastOutbound =
    communications
      .filter((c) => !fromPatient(c))
      .map((c) => c.sent ?? '')
      .sort()
      .at(-1) ?? '';
  return communications
    .filter((c) => fromPatient(c) && (c.sent ?? c.received ?? '') > lastOutbound)
    .map((c) => ({
      kind: 'unanswered-message' as const,
      text: `Unanswered message: ${c.payload?.[0]?.contentString?.slice(0, 80) ?? label(c.medium?.[0])}`,
      date: c.sent ?? c.received,
      reference: ref(c),
    }));
}
