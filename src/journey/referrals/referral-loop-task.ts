import type { Reference, Resource, Task } from '@medplum/fhirtypes';
import {
  REFERRAL_LOOP_IDENTIFIER,
  REFERRAL_LOOP_SYSTEM,
  REFERRAL_STEP_SYSTEM,
} from '../engine/journey-codes.ts';
import { sameContent } from '../engine/same-content.ts';
import { referralProgress, type ReferralProgress, type ReferralStep } from './referral-steps.ts';

/** One step of the loop and how long it may take (definitions/referral-loop.json). */
export interface ReferralStepDefinition {
  code: ReferralStep;
  display: string;
  /** The step that should come next. */
  next?: ReferralStep;
  dueDays?: number;
  /** Count `dueDays` from the booked appointment's start, not from reaching the step. */
  fromAppointment?: boolean;
}

export interface ReferralLoopDefinition {
  steps: ReferralStepDefinition[];
}

const DAY = 86_400_000;

/**
 * One Task per referral tracking its loop: `businessStatus` the step reached, `output` when each
 * step was reached (the measure's raw data), `restriction.period.end` when the next step is due;
 * completed when the report is back, cancelled when the referral was withdrawn. Written only
 * when it changed, so a recomputation of an unchanged record writes nothing.
 */
export function planReferralLoops(input: {
  definition: ReferralLoopDefinition;
  personId: string;
  record: Resource[];
  own: Resource[];
}): Task[] {
  const { definition, personId, record, own } = input;
  const stored = new Map(
    own
      .filter((r): r is Task => r.resourceType === 'Task')
      .map((task) => [task.identifier?.find((id) => id.system === REFERRAL_LOOP_IDENTIFIER)?.value, task]),
  );
  return referralProgress(record).flatMap((progress) => {
    const desired = loopTask(definition, { personId, progress });
    const existing = stored.get(desired.identifier![0]!.value);
    if (existing && sameContent(desired, existing)) return [];
    return [existing ? { ...desired, id: existing.id, meta: existing.meta } : desired];
  });
}

function loopTask(
  definition: ReferralLoopDefinition,
  { personId, progress }: { personId: string; progress: ReferralProgress },
): Task {
  const { referral, reached } = progress;
  const steps = definition.steps.filter((step) => reached[step.code]);
  const current = steps.at(-1) ?? definition.steps[0]!;
  const due = dueDate(current, progress);
  const withdrawn = referral.status === 'revoked' || referral.status === 'entered-in-error';
  return {
    resourceType: 'Task',
    identifier: [{ system: REFERRAL_LOOP_IDENTIFIER, value: `${personId}/referral/${referral.id}` }],
    status: reached['report-received'] ? 'completed' : withdrawn ? 'cancelled' : 'in-progress',
    intent: 'order',
    code: {
      coding: [{ system: REFERRAL_LOOP_SYSTEM, code: 'referral-loop', display: 'Referral loop' }],
      text: referral.code?.text ?? 'Referral',
    },
    focus: { reference: `ServiceRequest/${referral.id}` } as Reference,
    for: { reference: `Patient/${personId}` },
    ...(reached.sent ? { authoredOn: reached.sent } : {}),
    businessStatus: {
      coding: [{ system: REFERRAL_STEP_SYSTEM, code: current.code, display: current.display }],
      text: current.display,
    },
    ...(due && !reached['report-received'] && !withdrawn ? { restriction: { period: { end: due } } } : {}),
    output: steps.map((step) => ({
      type: { coding: [{ system: REFERRAL_STEP_SYSTEM, code: step.code, display: step.display }] },
      valueDateTime: reached[step.code]!,
    })),
  };
}

/** When the step after `current` is due, by its SLA. */
function dueDate(current: ReferralStepDefinition, progress: ReferralProgress): string | undefined {
  if (current.dueDays === undefined) return undefined;
  const from = current.fromAppointment ? progress.appointmentStart : progress.reached[current.code];
  return from ? new Date(Date.parse(from) + current.dueDays * DAY).toISOString() : undefined;
}
