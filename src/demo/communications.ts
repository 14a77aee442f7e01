import type { Appointment, Communication, CommunicationRequest, Reference } from '@medplum/fhirtypes';
import { parseReply, renderTemplate, REPLY_ACTION_URL } from '../engagement/index.ts';
import { emit, plusMinutes, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import { channels, concept, systems, type Channel } from './vocabulary/terminology.ts';

const category = (code: 'reminder' | 'notification' | 'instruction', display: string) =>
  concept(systems.communicationCategory, code, display);

/**
 * The reminder as the outreach engine words it: the portal shows these to the patient, and an
 * ISO date with "C to cancel" beside the engine's "C to confirm" read as two clinics.
 */
function reminderText(appointment: Stored<Appointment>): string {
  return renderTemplate({
    purpose: 'appointment-reminder',
    clinicName: 'Riverside Family Practice',
    start: new Date(appointment.start ?? 0),
    zone: 'UTC',
  });
}

/** Which appointment to remind of, on which channel, and how long before it. */
export interface Reminder {
  appointment: Stored<Appointment>;
  channel: Channel;
  /** Days before the appointment's start the reminder is due. */
  daysBefore: number;
  /** `false`: the message always gets through (default: about one in 25 SMS/email bounces). */
  mayFail?: boolean;
}

/**
 * A reminder for an appointment: the request (CommunicationRequest, what automation schedules)
 * and, once its time has come, the message actually sent (Communication, basedOn the request).
 * Returns the sent message, if any.
 */
export function sendReminder(
  ctx: ClinicContext,
  journey: Journey,
  reminder: Reminder,
): Stored<Communication> | undefined {
  const { appointment, channel } = reminder;
  const due = plusMinutes(appointment.start as string, -reminder.daysBefore * 24 * 60);
  // Reminders due today are left to the outreach engine (active), so a new user sees today's
  // reminders go out — to the local outbox — with consent and quiet hours checked as they go.
  const sent =
    Date.parse(due) <= ctx.now.getTime() && due.slice(0, 10) !== ctx.now.toISOString().slice(0, 10);
  const message = reminderMessage(ctx, journey, reminder);
  const request = emit<CommunicationRequest>(ctx, {
    resourceType: 'CommunicationRequest',
    status: sent ? 'completed' : 'active',
    priority: 'routine',
    ...message,
    occurrenceDateTime: due,
    authoredOn: appointment.created,
  });
  if (!sent) return undefined;
  const failed = channel !== 'phone' && ctx.random.chance(0.04) && reminder.mayFail !== false;
  const reason =
    channel === 'sms' ? 'Delivery failed: number unreachable' : 'Delivery failed: mailbox bounced';
  return emit<Communication>(ctx, {
    resourceType: 'Communication',
    basedOn: [ref(request)],
    status: failed ? 'not-done' : 'completed',
    statusReason: failed ? { text: reason } : undefined,
    ...message,
    sent: failed ? undefined : due,
  });
}

/** What a reminder and its request share: clinic to patient, about the appointment, on one channel. */
function reminderMessage(ctx: ClinicContext, journey: Journey, { appointment, channel }: Reminder) {
  return {
    category: [category('reminder', 'Reminder')],
    medium: [{ coding: [channels[channel]] }],
    subject: ref(journey.gp),
    about: [ref(appointment)],
    recipient: [ref(journey.gp)],
    sender: ref(ctx.directory.organizations.gp),
    payload: [{ contentString: reminderText(appointment) }],
  };
}

/** A patient's answer: the message it answers and what they wrote. */
export interface Reply {
  to: Stored<Communication>;
  text: string;
}

/** The patient's answer to a reminder ("YES" confirms), an inbound Communication. */
export function recordReply(
  ctx: ClinicContext,
  journey: Journey,
  { to, text }: Reply,
): Stored<Communication> {
  const at = plusMinutes(to.sent as string, ctx.random.int(3, 600));
  // Recorded as the engine records a reply it understood (src/engagement/inbound), so a
  // confirmation is not also a message waiting for someone to answer.
  const action = parseReply(text);
  return emit<Communication>(ctx, {
    resourceType: 'Communication',
    ...(action ? { extension: [{ url: REPLY_ACTION_URL, valueCode: action }] } : {}),
    inResponseTo: [ref(to)],
    status: 'completed',
    category: [category('notification', 'Notification')],
    medium: to.medium,
    subject: ref(journey.gp),
    about: to.about,
    sender: ref(journey.gp),
    recipient: [ref(ctx.directory.organizations.gp)],
    sent: at,
    received: at,
    payload: [{ contentString: text }],
  });
}

/** A call between the clinic and the patient. */
export interface PhoneCall {
  /** When the call was made (an instant). */
  at: string;
  /** `true`: the patient called the clinic; `false`: the clinic called the patient. */
  inbound: boolean;
  missed?: boolean;
  /** What was said, as the front desk logged it. */
  note: string;
  /** What the call was about (e.g. the appointment). */
  about?: Reference[];
}

/**
 * A phone call, logged as a Communication with medium PHONE. Inbound calls come from the
 * patient; a missed call is `not-done` with the reason, so a worklist can find unanswered ones.
 */
export function recordPhoneCall(
  ctx: ClinicContext,
  journey: Journey,
  call: PhoneCall,
): Stored<Communication> {
  const clinic = ref(ctx.directory.organizations.gp);
  const patient = ref(journey.gp);
  return emit<Communication>(ctx, {
    resourceType: 'Communication',
    status: call.missed ? 'not-done' : 'completed',
    statusReason: call.missed
      ? {
          text: call.inbound
            ? 'Missed call: no one answered at the clinic'
            : 'Missed call: patient did not answer',
        }
      : undefined,
    category: [category('notification', 'Notification')],
    medium: [{ coding: [channels.phone] }],
    subject: patient,
    about: call.about,
    sender: call.inbound ? patient : clinic,
    recipient: [call.inbound ? clinic : patient],
    sent: call.at,
    received: call.missed ? undefined : call.at,
    payload: [{ contentString: call.note }],
  });
}
