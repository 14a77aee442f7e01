import type { Appointment, Communication, CommunicationRequest, Reference } from '@medplum/fhirtypes';
import { emit, plusMinutes, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import { channels, concept, systems, type Channel } from './vocabulary/terminology.ts';

const category = (code: 'reminder' | 'notification' | 'instruction', display: string) =>
  concept(systems.communicationCategory, code, display);

function reminderText(appointment: Stored<Appointment>): string {
  const start = appointment.start ?? '';
  return `Riverside Family Practice: reminder of your appointment on ${start.slice(0, 10)} at ${start.slice(11, 16)} UTC. Reply YES to confirm or C to cancel.`;
}

/**
 * A reminder for an appointment: the request (CommunicationRequest, what automation schedules)
 * and, once its time has come, the message actually sent (Communication, basedOn the request).
 * Returns the sent message, if any.
 */
export function sendReminder(
  ctx: ClinicContext,
  journey: Journey,
  appointment: Stored<Appointment>,
  channel: Channel,
  daysBefore: number,
  options: { mayFail?: boolean } = {},
): Stored<Communication> | undefined {
  const due = plusMinutes(appointment.start as string, -daysBefore * 24 * 60);
  const sent = Date.parse(due) <= ctx.now.getTime();
  const message = reminderMessage(ctx, journey, appointment, channel);
  const request = emit<CommunicationRequest>(ctx, {
    resourceType: 'CommunicationRequest',
    status: sent ? 'completed' : 'active',
    priority: 'routine',
    ...message,
    occurrenceDateTime: due,
    authoredOn: appointment.created,
  });
  if (!sent) return undefined;
  const failed = channel !== 'phone' && ctx.random.chance(0.04) && options.mayFail !== false;
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
function reminderMessage(
  ctx: ClinicContext,
  journey: Journey,
  appointment: Stored<Appointment>,
  channel: Channel,
) {
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

/** The patient's answer to a reminder ("YES" confirms), an inbound Communication. */
export function recordReply(
  ctx: ClinicContext,
  journey: Journey,
  to: Stored<Communication>,
  text: string,
): Stored<Communication> {
  const at = plusMinutes(to.sent as string, ctx.random.int(3, 600));
  return emit<Communication>(ctx, {
    resourceType: 'Communication',
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

/**
 * A phone call, logged as a Communication with medium PHONE. Inbound calls come from the
 * patient; a missed call is `not-done` with the reason, so a worklist can find unanswered ones.
 */
export function recordPhoneCall(
  ctx: ClinicContext,
  journey: Journey,
  at: string,
  call: { inbound: boolean; missed?: boolean; note: string; about?: Reference[] },
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
    sent: at,
    received: call.missed ? undefined : at,
    payload: [{ contentString: call.note }],
  });
}
