import type {
  Appointment,
  Bundle,
  Communication,
  CommunicationRequest,
  Consent,
  Task,
} from '@medplum/fhirtypes';
import type { EngagementDeps } from '../engine/engagement-deps.ts';
import { channelOf, ENGAGEMENT_SYSTEM, mediumOf, type Channel } from '../model/outreach-codes.ts';
import type { ReplyAction } from './reply-grammar.ts';
import { privacyConsent } from '../../fhir/privacy-consent.ts';
import { WORKLIST_SYSTEM } from '../../fhir/worklist-system.ts';

/** What a reply acts on: the patient, the message it answers, the reply itself. */
export interface ReplyTarget {
  patientId: string;
  channel: Channel;
  outbound?: Communication;
  reply: Communication & { id: string };
}

export const OPT_OUT_SYSTEM = `${ENGAGEMENT_SYSTEM}/opt-out`;
export const RESCHEDULE_WORKLIST = 'reschedule-requests';

/** Carries out what the reply asks. */
export async function actOnReply(
  deps: EngagementDeps,
  action: ReplyAction,
  target: ReplyTarget,
): Promise<void> {
  if (action === 'opt-out') return optOut(deps, target);
  if (action === 'opt-in') return optIn(deps, target);
  const appointmentRef = target.outbound?.about?.find((r) =>
    r.reference?.startsWith('Appointment/'),
  )?.reference;
  if (!appointmentRef) return;
  if (action === 'confirm') return confirmAppointment(deps, { ...target, appointmentRef });
  return requestReschedule(deps, { ...target, appointmentRef });
}

/** `C`: the patient's participant status becomes accepted (the appointment stays booked). */
async function confirmAppointment(
  deps: EngagementDeps,
  target: ReplyTarget & { appointmentRef: string },
): Promise<void> {
  const appointment = await deps.repository.read<Appointment>('Appointment', target.appointmentRef.slice(12));
  const participant = appointment.participant.map((p) =>
    p.actor?.reference === `Patient/${target.patientId}` ? { ...p, status: 'accepted' as const } : p,
  );
  await deps.repository.update({ ...appointment, participant });
}

/** `R`: a Task on the reschedule-requests worklist, focused on the appointment. */
async function requestReschedule(
  deps: EngagementDeps,
  target: ReplyTarget & { appointmentRef: string },
): Promise<void> {
  const task: Task = {
    resourceType: 'Task',
    identifier: [{ system: `${ENGAGEMENT_SYSTEM}/reschedule`, value: target.reply.id }],
    status: 'requested',
    intent: 'order',
    code: {
      coding: [{ system: ENGAGEMENT_SYSTEM, code: 'reschedule', display: 'Patient asks to reschedule' }],
    },
    description: `Patient asks to reschedule ${target.appointmentRef}`,
    focus: { reference: target.appointmentRef },
    for: { reference: `Patient/${target.patientId}` },
    authoredOn: deps.clock.now().toISOString(),
    performerType: [{ coding: [{ system: WORKLIST_SYSTEM, code: RESCHEDULE_WORKLIST }] }],
    input: [{ type: { text: 'reply' }, valueReference: { reference: `Communication/${target.reply.id}` } }],
  };
  await deps.repository.create(task);
}

/**
 * STOP: one deny Consent for the channel and every purpose (checked again at every send), and
 * everything queued for the patient on that channel — or on no named channel — is revoked: a
 * patient who said STOP does not get the same reminder by another route instead.
 */
async function optOut(deps: EngagementDeps, target: ReplyTarget): Promise<void> {
  await suppressQueued(deps, target);
  if ((await activeOptOuts(deps, target)).length > 0) return;
  const consent: Consent = {
    ...privacyConsent(target.patientId),
    identifier: [{ system: OPT_OUT_SYSTEM, value: target.reply.id }],
    dateTime: deps.clock.now().toISOString(),
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTOUT' }] },
    sourceReference: { reference: `Communication/${target.reply.id}` },
    provision: { type: 'deny', code: [mediumOf(target.channel)] },
  };
  await deps.repository.create(consent);
}

async function suppressQueued(deps: EngagementDeps, target: ReplyTarget): Promise<void> {
  const bundle: Bundle = await deps.repository.search({
    resourceType: 'CommunicationRequest',
    params: [
      ['subject', `Patient/${target.patientId}`],
      ['status', 'active'],
      ['_count', '500'],
    ],
  });
  for (const entry of bundle.entry ?? []) {
    const request = entry.resource as CommunicationRequest & { id: string };
    const channel = channelOf(request.medium);
    if (channel && channel !== target.channel) continue;
    const reason = `the patient replied ${target.reply.payload?.[0]?.contentString ?? 'STOP'} on ${target.channel}`;
    await deps.repository.update({ ...request, status: 'revoked', statusReason: { text: reason } });
  }
}

/** START: the opt-outs by reply end (inactive), which restores whatever applied before. */
async function optIn(deps: EngagementDeps, target: ReplyTarget): Promise<void> {
  for (const consent of await activeOptOuts(deps, target))
    await deps.repository.update({ ...consent, status: 'inactive' });
}

async function activeOptOuts(
  deps: EngagementDeps,
  target: ReplyTarget,
): Promise<(Consent & { id: string })[]> {
  const bundle: Bundle = await deps.repository.search({
    resourceType: 'Consent',
    params: [
      ['patient', `Patient/${target.patientId}`],
      ['status', 'active'],
      ['_count', '200'],
    ],
  });
  return (bundle.entry ?? [])
    .map((entry) => entry.resource as Consent & { id: string })
    .filter((consent) => consent.identifier?.some((i) => i.system === OPT_OUT_SYSTEM));
}
