import type { ChangeEvent, EventHandler } from '../store/index.ts';
import type { SchedulingDeps } from './scheduling-deps.ts';
import { assessNoShowRisk, type NoShowModelSource } from './noshow/assess-noshow-risk.ts';
import { trainFromHistory } from './noshow/train-from-history.ts';
import type { NoShowModel } from './noshow/train-noshow-model.ts';

/** What scheduling's reactions are given: its deps as a service, and the model source. */
export interface SchedulingReactionDeps extends SchedulingDeps {
  model: NoShowModelSource;
}

/**
 * Scheduling's reactions to committed writes: every booked Appointment, whatever wrote it
 * ($book, FHIR, HL7 SIU), gets its no-show risk (re)scored.
 */
export function schedulingReactions(deps: SchedulingReactionDeps): EventHandler {
  return {
    subscriber: 'scheduling',
    batchSize: 200,
    async handle(event: ChangeEvent) {
      if (event.resourceType !== 'Appointment' || event.action === 'delete') return;
      await assessNoShowRisk(deps, event.id);
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
