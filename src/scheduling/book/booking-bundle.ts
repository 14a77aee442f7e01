import type { Appointment, BundleEntry, Slot } from '@medplum/fhirtypes';
import type { LoadedSchedule } from '../find/load-schedule.ts';
import { CLAIM_SYSTEM, claimKeys } from '../model/claim-keys.ts';
import { MINUTE } from '../model/intervals.ts';
import { HOLD_EXPIRES_EXTENSION } from '../model/booking-codes.ts';
import type { BookingTarget } from './booking-target.ts';

/** How a time is taken: booked for good, or held until an instant; on which overbooking seat. */
export interface Taking {
  target: BookingTarget;
  loaded: LoadedSchedule;
  seat: number;
  /** For `$hold`: when the hold lapses. */
  holdUntil?: string;
  created: string;
}

const SLOT_URL = 'urn:uuid:00000000-0000-4000-8000-00000000510f';

/** The transaction entries that take a time: a busy (or tentative) Slot claiming it, and the Appointment. */
export function takingEntries(proposal: Appointment, taking: Taking): BundleEntry[] {
  return [
    { fullUrl: SLOT_URL, resource: takingSlot(taking), request: { method: 'POST', url: 'Slot' } },
    { resource: bookedAppointment(proposal, taking), request: { method: 'POST', url: 'Appointment' } },
  ];
}

const iso = (at: number) => new Date(at).toISOString();

/** The Slot that claims the time and its buffer, on the seat given. */
function takingSlot({ target, loaded, seat, holdUntil }: Taking): Slot {
  const scheduleRef = `Schedule/${loaded.schedule.id}`;
  const claimed = { start: target.time.start, end: target.time.end + loaded.service.bufferMinutes * MINUTE };
  return {
    resourceType: 'Slot',
    schedule: { reference: scheduleRef },
    serviceType: loaded.schedule.serviceType,
    status: holdUntil ? 'busy-tentative' : 'busy',
    start: iso(target.time.start),
    end: iso(target.time.end),
    identifier: claimKeys(scheduleRef, claimed, seat).map((value) => ({ system: CLAIM_SYSTEM, value })),
    ...(holdUntil ? { extension: [{ url: HOLD_EXPIRES_EXTENSION, valueInstant: holdUntil }] } : {}),
    ...(seat > 0 ? { overbooked: true } : {}),
  };
}

/** The proposal as a booked (or, for a hold, pending) Appointment on the new Slot. */
function bookedAppointment(proposal: Appointment, { target, holdUntil, created }: Taking): Appointment {
  return {
    ...proposal,
    id: undefined,
    contained: undefined,
    meta: undefined,
    status: holdUntil ? 'pending' : 'booked',
    start: iso(target.time.start),
    end: iso(target.time.end),
    created,
    slot: [{ reference: SLOT_URL }],
    participant: (proposal.participant ?? []).map((participant) => ({
      ...participant,
      status: holdUntil ? 'tentative' : 'accepted',
    })),
  };
}
