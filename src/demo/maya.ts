import { clinicSlot, ref, type ClinicContext } from './clinic-context.ts';
import { recordCoverage } from './billing.ts';
import { recordPhoneCall, sendReminder } from './communications.ts';
import { recordChannelConsent } from './consents.ts';
import type { Journey } from './journey-state.ts';
import { recordLabPanel } from './lab-results.ts';
import type { Person } from './people.ts';
import { referToSpecialist } from './referrals.ts';
import { askForPreVisitForm, preVisitQuestionnaire } from './pre-visit-form.ts';
import { recordIntakeForm, recordSocialScreening } from './social-factors.ts';
import { bookAppointment, recordVisit, type Visit } from './visits.ts';
import { conditions } from './vocabulary/clinical-codes.ts';
import { recordDiagnosedCondition } from './diagnoses.ts';
import { coding, systems } from './vocabulary/terminology.ts';

/** Maya from the seed article (seeds/000): the acceptance test of the whole product. */
export function mayaPerson(): Person {
  return {
    key: 'person-maya',
    given: 'Maya',
    family: 'Okafor',
    gender: 'female',
    birthDate: '1988-04-12',
    phone: '+1-541-555-2674',
    email: 'maya.okafor@example.com',
    address: {
      use: 'home',
      line: ['42 Orchard Lane'],
      city: 'Riverton',
      state: 'OR',
      postalCode: '97403',
      country: 'US',
    },
    language: { code: 'en', display: 'English' },
    channel: 'sms',
  };
}

/** Her lab knows her under its own id, with the phone number she had before. */
export function mayaAtTheLab(maya: Person): Person {
  return { ...maya, phone: '+1-541-555-7731' };
}

function recordFatigue(ctx: ClinicContext, journey: Journey, visit: Visit): void {
  const code = {
    coding: [coding(systems.snomed, '84229001', 'Fatigue'), coding(systems.icd10, 'R53.83', 'Other fatigue')],
    text: 'Tired for several weeks',
  };
  recordDiagnosedCondition(ctx, journey, { visit, code, listedAs: 'visit' });
}

/**
 * Tired for weeks, she sees her GP, who sends her for bloodwork, refers her to a specialist and
 * asks her back for a review. The referral is not booked yet; she phoned to check the review's
 * time; reminders reached her by SMS and by email. Her lab results sit under the lab's own record.
 */
export function liveMayasStory(ctx: ClinicContext, journey: Journey): void {
  journey.coverage = recordCoverage(ctx, journey) ?? journey.coverage;
  recordIntakeForm(ctx, journey, { at: clinicSlot(ctx, -23), reason: 'Feeling tired for several weeks' });
  const visit = recordVisit(ctx, journey, { days: -21, reason: 'Tired for several weeks' });
  for (const channel of ['sms', 'email', 'phone'] as const)
    recordChannelConsent(ctx, journey, { channel, permit: true, dateTime: visit.start });
  recordSocialScreening(ctx, journey, visit.start);
  recordFatigue(ctx, journey, visit);
  recordLabPanel(ctx, journey, {
    visit,
    values: { hba1c: 7.1, glucose: 148, hemoglobin: 11.4, tsh: 2.1 },
  });
  const diabetes = conditions.find((c) => c.key === 'diabetes')!;
  referToSpecialist(ctx, journey, {
    visit,
    condition: diabetes,
    note: 'HbA1c 7.1% and low haemoglobin in a tired 38-year-old; please assess.',
  });
  recordPhoneCall(ctx, journey, {
    at: clinicSlot(ctx, -9),
    inbound: false,
    missed: true,
    note: 'Tried to reach Maya to arrange the endocrinology appointment; no answer.',
  });
  bookReviewAndFollowUp(ctx, journey);
}

/** Her review in two days: she phoned to check its time; reminded by e-mail and SMS. */
function bookReviewAndFollowUp(ctx: ClinicContext, journey: Journey): void {
  const review = bookAppointment(ctx, journey, {
    days: 2,
    status: 'booked',
    description: 'Review of blood results',
  });
  recordPhoneCall(ctx, journey, {
    at: clinicSlot(ctx, -4),
    inbound: true,
    note: 'Maya called to check the time of her review appointment.',
    about: [ref(review)],
  });
  sendReminder(ctx, journey, { appointment: review, channel: 'email', daysBefore: 7, mayFail: false });
  sendReminder(ctx, journey, { appointment: review, channel: 'sms', daysBefore: 3, mayFail: false });
}

/**
 * What waits for her in the portal: the follow-up the GP proposed for after the specialist, to
 * confirm, and the form to fill in before it. Drawn after everyone else (`generateDemoClinic`),
 * so the other people's seeded ids and slots stay what they were.
 */
export function mayasPortalToDo(ctx: ClinicContext, journey: Journey): void {
  bookAppointment(ctx, journey, {
    days: 12,
    status: 'pending',
    description: 'Follow-up: blood sugar and thyroid',
  });
  askForPreVisitForm(ctx, { journey, form: preVisitQuestionnaire(ctx) });
}
