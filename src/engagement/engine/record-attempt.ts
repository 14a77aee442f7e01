import type { Communication, CommunicationRequest, Extension } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { groupedWrites } from './grouped-writes.ts';
import { seatIdentifier, withoutSeat } from './sms-cap-seat.ts';
import {
  ATTEMPT_KEY_SYSTEM,
  DELIVERY_STATE_URL,
  PROVIDER_MESSAGE_SYSTEM,
  mediumOf,
  type Channel,
  type DeliveryState,
} from '../model/outreach-codes.ts';

/** The attempt's idempotency key: one attempt per request and channel, whatever happens. */
export const attemptKeyOf = (requestId: string, channel: Channel) => `${requestId}/${channel}`;

export function deliveryStateOf(communication: Communication): DeliveryState | undefined {
  return communication.extension?.find((e) => e.url === DELIVERY_STATE_URL)?.valueCode as
    DeliveryState | undefined;
}

export function withDeliveryState(communication: Communication, state: DeliveryState): Communication {
  const others = (communication.extension ?? []).filter((e) => e.url !== DELIVERY_STATE_URL);
  const extension: Extension[] = [...others, { url: DELIVERY_STATE_URL, valueCode: state }];
  return { ...communication, extension };
}

export function providerIdOf(communication: Communication): string | undefined {
  return communication.identifier?.find((i) => i.system === PROVIDER_MESSAGE_SYSTEM)?.value;
}

/** What the attempt is: which request, which channel, to whom, saying what. */
export interface AttemptSpec {
  request: CommunicationRequest & { id: string };
  channel: Channel;
  address: string;
  text: string;
  /** Who the message is about and for (the golden record when linked). */
  patientId: string;
  /** A capped SMS: the seat of the day it claims (`sms-cap-seat.ts`); taken → CONFLICT. */
  capSeat?: string;
}

/** The attempt, and whether it was open before (an earlier send of it may have gone). */
export interface OpenedAttempt {
  attempt: Communication & { id: string };
  existed: boolean;
}

/**
 * Opens the attempt before anything is sent (in-progress, queued), by conditional create on
 * its idempotency key: a retry — or a worker recovering a crashed one — finds the same attempt
 * (`existed`), and reconciles it with the provider or sends it again with the same key rather
 * than a second message (`send-once.ts`).
 */
export async function openAttempt(repository: FhirRepository, spec: AttemptSpec): Promise<OpenedAttempt> {
  const key = attemptKeyOf(spec.request.id, spec.channel);
  const attempt = attemptOf(spec);
  // A conditional create in a transaction Bundle shared with other deliveries (grouped-writes.ts).
  const [opened] = await groupedWrites(repository)([
    {
      resource: attempt,
      request: {
        method: 'POST',
        url: 'Communication',
        ifNoneExist: `identifier=${ATTEMPT_KEY_SYSTEM}|${key}`,
      },
    },
  ]);
  if (!opened?.resource) throw new ThroughlineError('INTERNAL', `The attempt ${key} was not returned`);
  const existed = !opened.response?.status?.startsWith('201');
  return { attempt: opened.resource as Communication & { id: string }, existed };
}

/**
 * The attempt as opened: in-progress, queued. The request's optional elements are copied only
 * when present: a key holding `undefined` makes the store's fast validation walk give up and
 * ask Medplum's validator (the outreach bench: 15% of the engine's CPU went there).
 */
export function attemptOf(spec: AttemptSpec): Communication {
  const { request } = spec;
  return withDeliveryState(
    {
      resourceType: 'Communication',
      identifier: [
        { system: ATTEMPT_KEY_SYSTEM, value: attemptKeyOf(request.id, spec.channel) },
        ...(spec.capSeat ? [seatIdentifier(spec.capSeat)] : []),
      ],
      basedOn: [{ reference: `CommunicationRequest/${request.id}` }],
      status: 'in-progress',
      ...(request.category ? { category: request.category } : {}),
      ...(request.priority ? { priority: request.priority } : {}),
      medium: [mediumOf(spec.channel)],
      subject: { reference: `Patient/${spec.patientId}` },
      ...(request.about ? { about: request.about } : {}),
      recipient: [{ reference: `Patient/${spec.patientId}`, display: spec.address }],
      ...(request.sender ? { sender: request.sender } : {}),
      payload: [{ contentString: spec.text }],
    },
    'queued',
  );
}

/** The provider accepted the message: its id, the state it reported, when. */
export interface Acceptance {
  providerId: string;
  state: DeliveryState;
  at: Date;
}

/** The attempt as the provider's acceptance leaves it: its id, the state, when it was sent. */
export function acceptedAttempt(
  attempt: Communication & { id: string },
  accepted: Acceptance,
): Communication & { id: string } {
  const delivered = accepted.state === 'delivered' || accepted.state === 'read';
  const identifier = [
    ...(attempt.identifier ?? []).filter((i) => i.system !== PROVIDER_MESSAGE_SYSTEM),
    { system: PROVIDER_MESSAGE_SYSTEM, value: accepted.providerId },
  ];
  return withDeliveryState(
    {
      ...attempt,
      identifier,
      status: delivered ? 'completed' : 'in-progress',
      sent: accepted.at.toISOString(),
    },
    accepted.state,
  ) as Communication & { id: string };
}

/** The attempt failed for good on this channel: not-done, with the reason a coordinator reads (its cap seat freed). */
export async function markFailed(
  repository: FhirRepository,
  attempt: Communication & { id: string },
  reason: string,
): Promise<void> {
  await repository.update(
    withDeliveryState(
      withoutSeat({ ...attempt, status: 'not-done', statusReason: { text: reason } }),
      'failed',
    ),
  );
}
