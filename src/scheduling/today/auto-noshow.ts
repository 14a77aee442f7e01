import type { Appointment } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { Job, JobHandler, KeyedJob } from '../../store/index.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { markNoShow } from './check-in.ts';

export const NO_SHOW_QUEUE = 'scheduling-noshow';

interface NoShowCheck {
  appointment: string;
  /** The start it was booked for: a moved appointment's old check does nothing. */
  start: string;
}

/**
 * The check that marks a booked Appointment a no-show `minutes` after its start unless the
 * patient checked in by then (issue 18, the front desk's automatic call): one keyed job per
 * appointment and start, so a rescheduled time gets its own check and a replay adds none.
 */
export function noShowCheck(appointment: Appointment, minutes: number): KeyedJob | undefined {
  if (minutes <= 0 || !appointment.id || !appointment.start) return undefined;
  if (!['booked', 'pending'].includes(appointment.status)) return undefined;
  const payload: NoShowCheck = { appointment: appointment.id, start: appointment.start };
  return {
    queue: NO_SHOW_QUEUE,
    key: `${appointment.id}@${appointment.start}`,
    runAt: new Date(Date.parse(appointment.start) + minutes * 60_000).toISOString(),
    payload,
  };
}

/** Runs the checks: still booked for that start → no-show; anything else (arrived, moved, cancelled) → nothing. */
export function autoNoShowJobs(deps: SchedulingDeps): JobHandler {
  return {
    queue: NO_SHOW_QUEUE,
    async handle(job: Job) {
      const check = job.payload as NoShowCheck;
      const appointment = await deps.repository
        .read<Appointment>('Appointment', check.appointment)
        .catch(() => undefined);
      if (!appointment || appointment.start !== check.start) return;
      // A check-in racing the check wins: the If-Match write then fails as a conflict.
      await markNoShow(deps, check.appointment).catch((error: unknown) => {
        if (!isThroughlineError(error) || !['CONFLICT', 'VERSION_CONFLICT'].includes(error.code)) throw error;
      });
    },
  };
}
