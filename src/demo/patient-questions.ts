import type { Communication } from '@medplum/fhirtypes';
import { clinicSlot, emit, plusMinutes, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import { ageOn, type Journey } from './journey-state.ts';
import { channels, concept, systems } from './vocabulary/terminology.ts';

/** What patients ask the clinic by message (nothing clinical about anyone). */
const QUESTIONS = [
  'Can I bring my daughter with me to the appointment?',
  'Do I need to fast before the blood test?',
  'Is there parking near the practice?',
  'Can I get my repeat prescription without coming in?',
  'Are you open on Saturday morning?',
  'I have a new phone number, can you update it please?',
  'Could the doctor call me back about my letter?',
  'Is the nurse doing flu jabs this week?',
];

/** One question per this many people, and never fewer than this many in a clinic. */
const PEOPLE_PER_QUESTION = 50;
const AT_LEAST = 3;

/**
 * A few patients' free-text questions by SMS or e-mail in the last ten days that nobody has
 * answered yet, so the coordinator's "Unanswered messages" worklist (journey rule
 * `answer-patient-message`) has work and its Reply can be tried. Drawn after everything else,
 * so nobody else's seeded ids move. A person is asked for only when the clinic has sent them
 * nothing since (a later message from the clinic answers it). Maya's story stays as written.
 */
export function recordPatientQuestions(ctx: ClinicContext, journeys: Journey[]): void {
  const wanted = Math.max(AT_LEAST, Math.round(journeys.length / PEOPLE_PER_QUESTION));
  const candidates = journeys.filter((journey) => leftAlone(ctx, journey));
  const asked = new Set<Journey>();
  for (let tries = 0; asked.size < wanted && tries < wanted * 10 && candidates.length > 0; tries++) {
    const journey = ctx.random.pick(candidates);
    if (asked.has(journey)) continue;
    const at = clinicSlot(ctx, -ctx.random.int(1, 10));
    if (!nothingGoesOut(ctx, journey) || answeredSince(ctx, { journey, at })) continue;
    recordQuestion(ctx, { journey, at, text: ctx.random.pick(QUESTIONS) });
    asked.add(journey);
  }
}

/**
 * Someone the platform will not write to when the clinic is seeded, which would answer the
 * question at once (the care-gap recipe reaches out to each open gap): no chronic condition,
 * under 65 (the flu vaccine gap); alive and active; not Maya (her story stays as written).
 */
function leftAlone(ctx: ClinicContext, journey: Journey): boolean {
  const { gp } = journey;
  if (journey.person.key === 'person-maya' || gp.active === false) return false;
  if (gp.deceasedBoolean || gp.deceasedDateTime) return false;
  return journey.conditions.length === 0 && ageOn(journey.person.birthDate, ctx.now) < 65;
}

/** No abnormal result in the last 90 days (a care gap) and no reminder waiting to go. */
function nothingGoesOut(ctx: ClinicContext, journey: Journey): boolean {
  const { gp } = journey;
  const records = new Set([`Patient/${gp.id}`, `Patient/${journey.other?.patient.id}`]);
  const recent = ctx.now.getTime() - 90 * 86_400_000;
  return !ctx.resources.some((resource) => {
    if (resource.resourceType === 'CommunicationRequest')
      return resource.status === 'active' && records.has(resource.subject?.reference ?? '');
    if (resource.resourceType !== 'Observation' || !records.has(resource.subject?.reference ?? ''))
      return false;
    const abnormal = resource.interpretation?.some((c) => c.coding?.some((code) => code.code !== 'N'));
    return !!abnormal && Date.parse(resource.effectiveDateTime ?? '') >= recent;
  });
}

/** Whether the clinic sent the person anything at or after `at` (that would answer the question). */
function answeredSince(ctx: ClinicContext, question: { journey: Journey; at: string }): boolean {
  const patient = `Patient/${question.journey.gp.id}`;
  const since = Date.parse(question.at);
  return ctx.resources.some(
    (resource) =>
      resource.resourceType === 'Communication' &&
      resource.subject?.reference === patient &&
      !resource.sender?.reference?.startsWith('Patient/') &&
      Date.parse(resource.sent ?? '') >= since,
  );
}

/** The patient's message: inbound, by SMS (or e-mail, when that is what they prefer), to the practice. */
function recordQuestion(
  ctx: ClinicContext,
  question: { journey: Journey; at: string; text: string },
): Stored<Communication> {
  const { journey, at } = question;
  const channel = journey.person.channel === 'email' ? 'email' : 'sms';
  const received = plusMinutes(at, ctx.random.int(0, 240));
  return emit<Communication>(ctx, {
    resourceType: 'Communication',
    status: 'completed',
    category: [concept(systems.communicationCategory, 'notification', 'Notification')],
    medium: [{ coding: [channels[channel]] }],
    subject: ref(journey.gp),
    sender: ref(journey.gp),
    recipient: [ref(ctx.directory.organizations.gp)],
    sent: received,
    received,
    payload: [{ contentString: question.text }],
  });
}
