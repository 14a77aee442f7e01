import type { Encounter } from '@medplum/fhirtypes';
import { clinicSlot, emit, instant, plusMinutes, ref, type ClinicContext } from './clinic-context.ts';
import { recordCoverage } from './billing.ts';
import { recordPhoneCall, recordReply, sendReminder } from './communications.ts';
import { recordConsents } from './consents.ts';
import { recordCondition } from './diagnoses.ts';
import type { Journey } from './journey-state.ts';
import { recordLabPanel, sampleValue, type LabResult } from './lab-results.ts';
import { bookReferral, referToSpecialist } from './referrals.ts';
import { recordIntakeForm, recordSocialScreening } from './social-factors.ts';
import { bookAppointment, recordVisit, type Visit } from './visits.ts';
import { bookUpcoming } from './clinic-week.ts';
import { coding, systems } from './vocabulary/terminology.ts';

const firstVisitReasons = [
  'Annual check-up',
  'Feeling tired',
  'Persistent cough',
  'Back pain',
  'Headaches',
  'Medication review',
];

/** Past GP visits, oldest first: more for people with more chronic conditions. */
function visitDays(ctx: ClinicContext, journey: Journey): number[] {
  const count = Math.min(1 + journey.conditions.length + ctx.random.int(0, 2), 6);
  const days = Array.from({ length: count }, () => -ctx.random.int(3, 1000));
  return [...new Set(days)].sort((a, b) => a - b);
}

/** Tests a GP orders for a person's conditions; a healthy adult sometimes gets a routine panel. */
function labsFor(ctx: ClinicContext, journey: Journey): Record<string, number> {
  const keys = new Set(journey.conditions.flatMap((c) => c.labs));
  if (keys.size === 0 && ctx.random.chance(0.3)) ['glucose', 'ldl'].forEach((key) => keys.add(key));
  const affected = (key: string) =>
    journey.conditions.some((c) => c.labs.includes(key)) && ctx.random.chance(0.7);
  return Object.fromEntries([...keys].map((key) => [key, sampleValue(ctx, key, affected(key))]));
}

function firstVisit(ctx: ClinicContext, journey: Journey, day: number): Visit {
  const reason = ctx.random.pick(firstVisitReasons);
  if (ctx.random.chance(0.5)) recordIntakeForm(ctx, journey, { at: clinicSlot(ctx, day - 2), reason });
  const visit = recordVisit(ctx, journey, { days: day, reason });
  recordConsents(ctx, journey, visit.start);
  if (ctx.random.chance(0.6)) recordSocialScreening(ctx, journey, visit.start);
  for (const condition of journey.conditions) recordCondition(ctx, journey, { definition: condition, visit });
  return visit;
}

/** Lab results back from bloodwork ordered at a visit. */
interface VisitResults {
  visit: Visit;
  results: LabResult[];
}

/** Abnormal results sometimes lead to a referral; only some referrals get booked. */
function maybeRefer(ctx: ClinicContext, journey: Journey, { visit, results }: VisitResults): void {
  const condition = journey.conditions.find((c) =>
    c.labs.some((key) => results.some((r) => r.key === key && r.flag !== 'N')),
  );
  if (!condition || !ctx.random.chance(0.35)) return;
  const referral = referToSpecialist(ctx, journey, {
    visit,
    condition,
    note: 'Results not at target despite treatment; please assess.',
  });
  const daysSince = Math.round((Date.parse(visit.start) - ctx.now.getTime()) / 86_400_000);
  const outcome = ctx.random.weighted([
    ['not booked', 45],
    ['booked', 55],
  ] as const);
  if (outcome === 'booked') {
    const days = daysSince + ctx.random.int(14, 60);
    bookReferral(ctx, journey, { referral, days, status: days < 0 ? 'fulfilled' : 'booked' });
  }
}

/**
 * A review two days ago whose bloodwork the lab drew yesterday morning: the results arrive this
 * morning (issued 26 h after the draw, 08:00-11:40). People on monitored conditions only.
 */
function resultsThisMorning(ctx: ClinicContext, journey: Journey): void {
  if (!journey.conditions.some((condition) => condition.labs.length > 0)) return;
  const due = ctx.today.labsThisMorning > 0 || ctx.random.chance(0.1);
  if (!due) return;
  ctx.today.labsThisMorning = Math.max(ctx.today.labsThisMorning - 1, 0);
  const visit = recordVisit(ctx, journey, { days: -2, reason: 'Follow-up' });
  const drawn = instant(ctx, -1, { hour: ctx.random.int(6, 9), minute: ctx.random.pick([0, 20, 40]) });
  const results = recordLabPanel(ctx, journey, { visit, values: labsFor(ctx, journey), drawn });
  maybeRefer(ctx, journey, { visit, results });
}

/** Missed and cancelled appointments, and the next booked one with its reminders. */
function appointments(ctx: ClinicContext, journey: Journey): void {
  const channel = journey.person.channel === 'phone' ? 'sms' : journey.person.channel;
  for (const visit of journey.visits.filter(
    (v) => Date.parse(v.start) > ctx.now.getTime() - 365 * 86_400_000,
  )) {
    const sent = sendReminder(ctx, journey, { appointment: visit.appointment, channel, daysBefore: 2 });
    if (sent?.status === 'completed' && channel === 'sms' && ctx.random.chance(0.5))
      recordReply(ctx, journey, { to: sent, text: 'YES' });
  }
  if (ctx.random.chance(0.15)) {
    const missed = bookAppointment(ctx, journey, { days: -ctx.random.int(5, 400), status: 'noshow' });
    sendReminder(ctx, journey, { appointment: missed, channel, daysBefore: 2 });
  }
  if (ctx.random.chance(0.1))
    bookAppointment(ctx, journey, { days: -ctx.random.int(5, 400), status: 'cancelled' });
  if (ctx.random.chance(0.45)) bookUpcoming(ctx, journey, channel);
}

function phoneCalls(ctx: ClinicContext, journey: Journey): void {
  if (ctx.random.chance(0.25)) {
    recordPhoneCall(ctx, journey, {
      at: clinicSlot(ctx, -ctx.random.int(1, 60)),
      inbound: true,
      note: 'Patient called to check their appointment time.',
    });
  }
  if (ctx.random.chance(0.1)) {
    recordPhoneCall(ctx, journey, {
      at: clinicSlot(ctx, -ctx.random.int(1, 20)),
      inbound: ctx.random.chance(0.5),
      missed: true,
      note: 'Call not answered.',
    });
  }
}

/** The hospital's own record: one emergency visit filed under the hospital's MRN. */
function hospitalVisit(ctx: ClinicContext, journey: Journey): void {
  if (journey.other?.source !== 'hospital') return;
  const start = clinicSlot(ctx, -ctx.random.int(30, 900));
  emit<Encounter>(ctx, {
    resourceType: 'Encounter',
    status: 'finished',
    class: coding(systems.actCode, 'EMER', 'emergency'),
    type: [
      {
        coding: [coding(systems.snomed, '50849002', 'Emergency room admission (procedure)')],
        text: 'Emergency visit',
      },
    ],
    subject: ref(journey.other.patient),
    period: { start, end: plusMinutes(start, 60 * ctx.random.int(2, 9)) },
    serviceProvider: ref(ctx.directory.organizations.hospital),
  });
}

/** Lives one person's story at the clinic, from first visit to whatever is still open today. */
export function livePersonStory(ctx: ClinicContext, journey: Journey): void {
  journey.coverage = recordCoverage(ctx, journey);
  const [first = -30, ...rest] = visitDays(ctx, journey);
  const visits = [
    firstVisit(ctx, journey, first),
    ...rest.map((day) => recordVisit(ctx, journey, { days: day, reason: 'Follow-up' })),
  ];
  for (const visit of visits) {
    const values = labsFor(ctx, journey);
    if (Object.keys(values).length === 0 || !ctx.random.chance(0.7)) continue;
    maybeRefer(ctx, journey, { visit, results: recordLabPanel(ctx, journey, { visit, values }) });
  }
  resultsThisMorning(ctx, journey);
  appointments(ctx, journey);
  phoneCalls(ctx, journey);
  hospitalVisit(ctx, journey);
}
