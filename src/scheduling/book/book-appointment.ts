import type { Appointment, Bundle, BundleEntry } from '@medplum/fhirtypes';
import { isThroughlineError, ThroughlineError } from '../../kernel/errors.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { loadSchedule, type LoadedSchedule } from '../find/load-schedule.ts';
import { searchSchedules } from '../find/read-actors.ts';
import { openTimes } from '../model/open-times.ts';
import { serviceRulesOf } from '../model/service-types.ts';
import { MINUTE, overlaps, within, type Interval } from '../model/intervals.ts';
import { bookingTarget, type BookingTarget } from './booking-target.ts';
import { takingEntries } from './booking-bundle.ts';
import { releaseExpiredHolds } from './release-expired-holds.ts';

/** `$book` / `$hold` input: the proposal, and for a hold when it lapses. */
export interface TakeRequest {
  appointment: Appointment | undefined;
  holdUntil?: string;
  /** Entries that commit with the booking (a reschedule's cancellation), in the same transaction. */
  alsoCommit?: BundleEntry[];
  /** Bookings those entries release (a reschedule's old time): not counted as taken. */
  freeing?: Interval[];
}

const DAY = 24 * 60 * MINUTE;

/**
 * Books (or holds) a proposed time. The time must still be open; the database decides races:
 * the Slot claims the time's blocks, so of concurrent bookings exactly one commits and the
 * others get CONFLICT (409). A schedule that allows overbooking gives the next seat instead.
 */
export async function bookAppointment(deps: SchedulingDeps, request: TakeRequest): Promise<Appointment> {
  const target = bookingTarget(request.appointment);
  // The Schedule with its actors in one search (one audit record) rather than a read each.
  const { schedules, known } = await searchSchedules(deps.repository, [['_id', target.scheduleId]]);
  const schedule = schedules[0];
  if (!schedule) throw new ThroughlineError('NOT_FOUND', `Schedule/${target.scheduleId} not found`);
  // Only what overlaps the time and its buffer decides: whether it lies in open time (the
  // pieces that cover it) and whether it is taken. So that is all that is read.
  const bufferEnd = target.time.end + serviceRulesOf(schedule.serviceType).bufferMinutes * MINUTE;
  const range = { start: target.time.start, end: bufferEnd };
  const loaded = await loadSchedule(deps, { schedule, range, known });
  checkOpen(deps, { loaded, target });
  const buffer = loaded.service.bufferMinutes * MINUTE;
  const freeing = (request.freeing ?? []).map((each) => ({ start: each.start, end: each.end + buffer }));
  const busy = loaded.times.busy.filter(
    (each) => !freeing.some((f) => f.start === each.start && f.end === each.end),
  );
  const taken = busy.some((each) => overlaps(each, { ...target.time, end: target.time.end + buffer }));
  const firstSeat = taken ? 1 : 0;
  if (firstSeat > loaded.overbooking) throw timeTaken();
  for (let seat = firstSeat; seat <= loaded.overbooking; seat++) {
    const booked = await tryTake(deps, { request, target, loaded, seat });
    if (booked) return booked;
  }
  throw timeTaken();
}

const timeTaken = () =>
  new ThroughlineError('CONFLICT', 'The time was taken: ask $find for another', {
    expression: 'Appointment.start',
  });

/** The time lies in the schedule's open hours (bookings aside) and respects the minimum notice. */
function checkOpen(
  deps: SchedulingDeps,
  { loaded, target }: { loaded: LoadedSchedule; target: BookingTarget },
): void {
  const open = openTimes(
    { ...loaded.times, busy: [] },
    { start: target.time.start - DAY, end: target.time.end + DAY },
  );
  if (!within(target.time, open))
    throw new ThroughlineError('CONFLICT', 'The time is not an open time of the schedule', {
      expression: 'Appointment.start',
    });
  const earliest = deps.clock.now().getTime() + loaded.service.minimumNoticeMinutes * MINUTE;
  if (target.time.start < earliest)
    throw new ThroughlineError(
      'CONFLICT',
      `Too soon: this service needs ${loaded.service.minimumNoticeMinutes} minutes' notice`,
      {
        expression: 'Appointment.start',
      },
    );
}

interface Attempt {
  request: TakeRequest;
  target: BookingTarget;
  loaded: LoadedSchedule;
  seat: number;
}

/** One attempt on one seat: the booked Appointment, or undefined when that seat's claim is taken. */
async function tryTake(deps: SchedulingDeps, attempt: Attempt): Promise<Appointment | undefined> {
  try {
    return await commitTaking(deps, attempt);
  } catch (error) {
    if (!isThroughlineError(error) || error.code !== 'CONFLICT') throw error;
    // A lapsed hold still holds its claim until someone releases it: release, then try once more.
    if (
      await releaseExpiredHolds(deps, { scheduleId: attempt.loaded.schedule.id, time: attempt.target.time })
    )
      return commitTaking(deps, attempt).catch(() => undefined);
    return undefined;
  }
}

async function commitTaking(deps: SchedulingDeps, attempt: Attempt): Promise<Appointment> {
  const { request, target, loaded, seat } = attempt;
  const entries = takingEntries(request.appointment!, {
    target,
    loaded,
    seat,
    holdUntil: request.holdUntil,
    created: deps.clock.now().toISOString(),
  });
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [...(request.alsoCommit ?? []), ...entries],
  };
  const response = await deps.repository.processBundle(bundle);
  return response.entry?.at(-1)?.resource as Appointment;
}
