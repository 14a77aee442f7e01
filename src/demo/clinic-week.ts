import type { Appointment } from '@medplum/fhirtypes';
import { instant, type ClinicContext, type Stored } from './clinic-context.ts';
import { recordReply, sendReminder } from './communications.ts';
import { ageOn, type Journey } from './journey-state.ts';
import { bookAppointment } from './visits.ts';
import type { Channel } from './vocabulary/terminology.ts';

/**
 * How a booking looks to the front desk today. `booked` and `confirmed` are both FHIR `booked`
 * with the patient `accepted`; a confirmed one has the patient's YES to a reminder. An
 * unconfirmed one is `pending` with the patient `needs-action` (what the worklist searches).
 */
export type WeekState = 'arrived' | 'noshow' | 'booked' | 'confirmed' | 'unconfirmed';

/** An upcoming booking: `days` from today (0 = today), and its state. */
export interface WeekSlot {
  days: number;
  state: WeekState;
}

/** What the demo shows on any day, whatever the seed and size: handed out before any draw. */
export interface TodaysMusts {
  slots: WeekSlot[];
  /** People whose lab results must arrive this morning. */
  labsThisMorning: number;
}

/**
 * Today has every state, and tomorrow's bookings have reminders due in the next hours: the
 * first people booked get these slots, so even a 20-person clinic shows a living day.
 */
export function todaysMusts(): TodaysMusts {
  const today: WeekState[] = ['arrived', 'noshow', 'unconfirmed', 'confirmed', 'booked'];
  const tomorrow: WeekState[] = ['unconfirmed', 'confirmed', 'booked'];
  return {
    slots: [...today.map((state) => ({ days: 0, state })), ...tomorrow.map((state) => ({ days: 1, state }))],
    labsThisMorning: 3,
  };
}

/** People with a chronic condition or aged 65+ come in more often (and have care gaps to close). */
function needsCare(ctx: ClinicContext, journey: Journey): boolean {
  return journey.conditions.length > 0 || ageOn(journey.person.birthDate, ctx.now) >= 65;
}

function drawSlot(ctx: ClinicContext, journey: Journey): WeekSlot {
  const later = !ctx.random.chance(needsCare(ctx, journey) ? 0.55 : 0.3);
  if (later) return { days: ctx.random.int(7, 30), state: ctx.random.chance(0.3) ? 'unconfirmed' : 'booked' };
  const days = ctx.random.weighted([
    [0, 30],
    [1, 15],
    [2, 15],
    [3, 10],
    [4, 10],
    [5, 10],
    [6, 10],
  ] as const);
  const state = ctx.random.weighted<WeekState>([
    ['arrived', days === 0 ? 25 : 0],
    ['noshow', days === 0 ? 10 : 0],
    ['booked', 15],
    ['confirmed', 30],
    ['unconfirmed', 20],
  ]);
  return { days, state };
}

/** Morning for who has come (or not) today; the rest of today from 11:00; other days any hour. */
function startOf(ctx: ClinicContext, slot: WeekSlot): string {
  const morning = slot.state === 'arrived' || slot.state === 'noshow';
  const hour =
    slot.days > 0 ? ctx.random.int(8, 16) : morning ? ctx.random.int(8, 10) : ctx.random.int(11, 16);
  return instant(ctx, slot.days, { hour, minute: ctx.random.pick([0, 20, 40]) });
}

const statusOf: Record<WeekState, Appointment['status']> = {
  arrived: 'arrived',
  noshow: 'noshow',
  booked: 'booked',
  confirmed: 'booked',
  unconfirmed: 'pending',
};

/**
 * The next booked appointment: the first reminder went out at least two days ago (so the YES
 * that confirms it is in the past), the second is due the day before — for tomorrow's, in the
 * next hours. A `booked` one was booked yesterday, after the first reminder's time.
 */
export function bookUpcoming(ctx: ClinicContext, journey: Journey, channel: Channel): Stored<Appointment> {
  const slot = ctx.today.slots.shift() ?? drawSlot(ctx, journey);
  const start = startOf(ctx, slot);
  const justBooked = slot.state === 'booked' && slot.days < 7;
  const appointment = bookAppointment(ctx, journey, {
    days: slot.days,
    status: statusOf[slot.state],
    start,
    created: justBooked ? instant(ctx, -1, { hour: ctx.random.int(9, 16) }) : undefined,
  });
  if (slot.days >= 7) {
    sendReminder(ctx, journey, { appointment, channel, daysBefore: 3 });
    return appointment;
  }
  if (!justBooked) {
    const confirmed = slot.state === 'confirmed' || slot.state === 'arrived';
    const first = sendReminder(ctx, journey, {
      appointment,
      channel,
      daysBefore: Math.max(3, slot.days + 2),
      mayFail: !confirmed,
    });
    if (first && confirmed) recordReply(ctx, journey, { to: first, text: 'YES' });
  }
  if (!(justBooked && slot.days === 0)) sendReminder(ctx, journey, { appointment, channel, daysBefore: 1 });
  return appointment;
}
