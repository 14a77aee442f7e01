import type { Appointment, Bundle, Slot } from '@medplum/fhirtypes';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { holdExpired, resourcesOf } from '../find/load-schedule.ts';
import { MINUTE, overlaps, type Interval } from '../model/intervals.ts';
import { releaseEntries } from './release-entries.ts';

/**
 * Releases lapsed holds (tentative Slots past their expiry) over a time of a schedule: their
 * Slots are freed and their pending Appointments cancelled. Holds lapse lazily — whoever needs
 * the time releases them — so no timer has to run for a hold to end. Returns whether any was.
 */
export async function releaseExpiredHolds(
  deps: SchedulingDeps,
  request: { scheduleId: string; time: Interval },
): Promise<boolean> {
  const now = deps.clock.now().getTime();
  const slots = resourcesOf<Slot & { id: string }>(
    await deps.repository.search({
      resourceType: 'Slot',
      params: [
        ['schedule', `Schedule/${request.scheduleId}`],
        ['status', 'busy-tentative'],
        ['start', `ge${new Date(request.time.start - 24 * 60 * MINUTE).toISOString()}`],
        ['start', `lt${new Date(request.time.end).toISOString()}`],
      ],
    }),
  );
  const lapsed = slots.filter(
    (slot) =>
      holdExpired(slot, now) &&
      overlaps(request.time, { start: Date.parse(slot.start), end: Date.parse(slot.end) + 60 * MINUTE }),
  );
  if (lapsed.length === 0) return false;
  for (const slot of lapsed) {
    const holders = resourcesOf<Appointment & { id: string }>(
      await deps.repository.search({ resourceType: 'Appointment', params: [['slot', `Slot/${slot.id}`]] }),
    );
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: releaseEntries({
        slots: [slot],
        appointments: holders,
        status: 'cancelled',
        reason: 'hold expired',
      }),
    };
    await deps.repository.processBundle(bundle).catch(() => undefined); // a concurrent releaser won
  }
  return true;
}
