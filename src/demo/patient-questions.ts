import type { Communication } from '@medplum/fhirtypes';
import { clinicSlot, emit, plusMinutes, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
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
  const candidates = journeys.filter(
    (journey) =>
      journey.person.key !== 'person-maya' &&
      journey.gp.active !== false &&
      !journey.gp.deceasedBoolean &&
      !journey.gp.deceasedDateTime,
  );
  const asked = new Set<Journey>();
  for (let tries = 0; asked.size < wanted && tries < wanted * 10 && candidates.length > 0; tries++) {
    const journey = ctx.random.pick(candidates);
    if (asked.has(journey)) continue;
    const at = clinicSlot(ctx, -ctx.random.int(1, 10));
    if (answeredSince(ctx, { journey, at })) continue;
    recordQuestion(ctx, { journey, at, text: ctx.random.pick(QUESTIONS) });
    asked.add(journey);
  }
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
