import type { ChangeEvent, EventHandler, KeyedJob } from '../store/index.ts';
import { noShowCheck } from './today/auto-noshow.ts';
import type { SchedulingDeps } from './scheduling-deps.ts';
import { assessNoShowRisk, type NoShowModelSource } from './noshow/assess-noshow-risk.ts';
import { trainFromHistory } from './noshow/train-from-history.ts';
import type { NoShowModel } from './noshow/train-noshow-model.ts';
import type { Appointment } from '@medplum/fhirtypes';
import type { SendWaitlistMessage } from './waitlist/waitlist-offer.ts';
import { offerFreedTime } from './waitlist/offer-freed-time.ts';
import { acceptOffer } from './waitlist/accept-offer.ts';

/** What scheduling's reactions are given: its deps as a service, the model source, and outreach. */
export interface SchedulingReactionDeps extends SchedulingDeps {
  model: NoShowModelSource;
  /** Sends a waitlist message (engagement's outreach, composed in `server`); absent: no waitlist offers. */
  send?: SendWaitlistMessage;
  /** Minutes after the start a booking without check-in becomes a no-show (absent or 0: never). */
  noShowAfterMinutes?: number;
  /** Puts a keyed job on the durable queue (the automatic no-show check). */
  scheduleJob?: (job: KeyedJob) => Promise<void>;
}

/**
 * Scheduling's reactions to committed writes: every booked Appointment, whatever wrote it
 * ($book, FHIR, HL7 SIU), gets its no-show risk (re)scored; a cancelled booking's time is
 * offered to the waiting list; a waitlisted patient's acceptance books the offered time; a
 * booking gets its automatic no-show check when the clinic set one.
 */
export function schedulingReactions(deps: SchedulingReactionDeps): EventHandler {
  return {
    subscriber: 'scheduling',
    batchSize: 200,
    resourceTypes: () => ['Appointment'],
    async handle(event: ChangeEvent) {
      if (event.resourceType !== 'Appointment' || event.action === 'delete') return;
      const appointment = await deps.repository
        .read<Appointment & { id: string }>('Appointment', event.id)
        .catch(() => undefined);
      if (!appointment) return;
      if (deps.send && appointment.status === 'cancelled')
        await offerFreedTime({ ...deps, send: deps.send }, appointment);
      else if (deps.send && appointment.status === 'waitlist')
        await acceptOffer({ ...deps, send: deps.send }, appointment);
      else {
        await assessNoShowRisk(deps, event.id);
        const check = noShowCheck(appointment, deps.noShowAfterMinutes ?? 0);
        if (check && deps.scheduleJob) await deps.scheduleJob(check);
      }
    },
  };
}

/**
 * The clinic's model, trained from its own history on first use and again once it is a day
 * old; concurrent callers share one training. Undefined while the history is too thin.
 */
export function cachedNoShowModel(deps: SchedulingDeps, maxAgeMs = 86_400_000): NoShowModelSource {
  let current: { at: number; model: Promise<NoShowModel | undefined> } | undefined;
  return () => {
    const now = deps.clock.now().getTime();
    if (!current || now - current.at > maxAgeMs) {
      const model = trainFromHistory(deps).catch(() => undefined);
      current = { at: now, model };
    }
    return current.model;
  };
}
