import type { Communication, Task } from '@medplum/fhirtypes';
import { WORKLIST_SYSTEM } from '../../fhir/worklist-system.ts';
import type { EngagementDeps } from '../engine/engagement-deps.ts';
import { callCommunicationOf, type CallRecord } from '../model/call-record.ts';
import { ENGAGEMENT_SYSTEM, PROVIDER_MESSAGE_SYSTEM } from '../model/outreach-codes.ts';
import { patientsByAddress } from './find-outbound.ts';

export const CALL_BACK_WORKLIST = 'call-backs';
const CALL_BACK_SYSTEM = `${ENGAGEMENT_SYSTEM}/call-back`;

/** An inbound call as the provider reported its end (Twilio `CallStatus` / `DialCallStatus`). */
export interface InboundCall {
  /** The caller's number. */
  from: string;
  /** The provider's call id (`CallSid`). */
  providerId: string;
  answered: boolean;
  /** The provider's own word for how it ended (no-answer, busy, failed, completed…). */
  status: string;
  durationSeconds?: number;
}

export type CallOutcome = 'recorded' | 'duplicate' | 'unknown-caller';

/**
 * An inbound call on the patient's timeline: matched by the caller's number to the patient,
 * as the golden record when identity linked one, and written once per call id. A missed call
 * also puts a call-back on the `call-backs` worklist. A number no active patient has is left
 * for the provider's own logs: there is nobody whose timeline it belongs to.
 */
export async function receiveCall(deps: EngagementDeps, call: InboundCall): Promise<CallOutcome> {
  const [match] = await patientsByAddress(deps.repository, call.from);
  const person = match ? await deps.personOf(match.id) : undefined;
  if (!person?.patient.id) return 'unknown-caller';
  const record: CallRecord = {
    patient: `Patient/${person.patient.id}`,
    direction: 'inbound',
    missed: !call.answered,
    at: deps.clock.now().toISOString(),
    note: callNote(call),
    from: call.from,
    providerId: call.providerId,
  };
  const { resource, outcome } = await deps.repository.create(callCommunicationOf(record), {
    ifNoneExist: `identifier=${PROVIDER_MESSAGE_SYSTEM}|${call.providerId}`,
  });
  if (record.missed) await openCallBack(deps, { call: resource, from: call.from });
  return outcome === 'created' ? 'recorded' : 'duplicate';
}

function callNote(call: InboundCall): string {
  if (!call.answered) return `Inbound call from ${call.from}, not answered (${call.status})`;
  const duration = call.durationSeconds ? `, ${call.durationSeconds} s` : '';
  return `Inbound call from ${call.from}, answered${duration}`;
}

/**
 * The call-back a missed inbound call asks for: one Task per call on the `call-backs`
 * worklist (conditional on the call, so a repeated webhook or log adds none), for the patient.
 */
export async function openCallBack(
  deps: Pick<EngagementDeps, 'repository' | 'clock'>,
  missed: { call: Communication & { id?: string }; from?: string },
): Promise<void> {
  const patient = missed.call.subject?.reference;
  const task: Task = {
    resourceType: 'Task',
    identifier: [{ system: CALL_BACK_SYSTEM, value: missed.call.id! }],
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: ENGAGEMENT_SYSTEM, code: 'call-back', display: 'Call the patient back' }] },
    description: `Missed call${missed.from ? ` from ${missed.from}` : ''}: call back`,
    focus: { reference: `Communication/${missed.call.id}` },
    ...(patient ? { for: { reference: patient } } : {}),
    authoredOn: deps.clock.now().toISOString(),
    performerType: [{ coding: [{ system: WORKLIST_SYSTEM, code: CALL_BACK_WORKLIST }] }],
  };
  await deps.repository.create(task, { ifNoneExist: `identifier=${CALL_BACK_SYSTEM}|${missed.call.id}` });
}
