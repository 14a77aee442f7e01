import type { Coding, CommunicationRequest } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { ENGAGEMENT_SYSTEM, mediumOf, purposeCoding, type Channel, type Purpose } from './outreach-codes.ts';

/** What another capability (scheduling, journey actions, automation) asks engagement to send. */
export interface OutreachOrder {
  /** `Patient/{id}`. */
  patient: string;
  purpose: Purpose;
  /** The preferred channel; absent: the patient's own order, then the clinic's. */
  channel?: Channel;
  /** When it falls due (ISO instant); absent: now. */
  dueAt?: string;
  /** What it is about: `Appointment/…`, `Task/…`, `DiagnosticReport/…`. */
  about?: string[];
  /** Written text; absent: the template of the purpose in the patient's language. */
  text?: string;
  priority?: 'routine' | 'urgent' | 'asap' | 'stat';
  /** Makes the order idempotent: the same key twice is the same request. */
  key?: string;
  sender?: CommunicationRequest['sender'];
  /** Security labels of what it comes from (a rule run on a labelled write): the request carries them. */
  labels?: Coding[];
}

/** The port other capabilities are composed with in the server: one call, one CommunicationRequest. */
export type RequestOutreach = (order: OutreachOrder) => Promise<{ id: string }>;

export const ORDER_KEY_SYSTEM = `${ENGAGEMENT_SYSTEM}/outreach-order`;

/** The CommunicationRequest of an order (DESIGN rule 1: the unit of outreach is a FHIR resource). */
export function outreachRequestOf(order: OutreachOrder, now: Date): CommunicationRequest {
  return {
    resourceType: 'CommunicationRequest',
    ...(order.labels ? { meta: { security: order.labels } } : {}),
    ...(order.key ? { identifier: [{ system: ORDER_KEY_SYSTEM, value: order.key }] } : {}),
    status: 'active',
    category: [{ coding: [purposeCoding(order.purpose)] }],
    priority: order.priority ?? 'routine',
    ...(order.channel ? { medium: [mediumOf(order.channel)] } : {}),
    subject: { reference: order.patient },
    recipient: [{ reference: order.patient }],
    about: order.about?.map((reference) => ({ reference })),
    ...(order.text ? { payload: [{ contentString: order.text }] } : {}),
    occurrenceDateTime: order.dueAt ?? now.toISOString(),
    authoredOn: now.toISOString(),
    ...(order.sender ? { sender: order.sender } : {}),
  };
}

/** `requestOutreach` on a store (the caller's scoped one: their access decides). */
export function outreachRequester(repository: FhirRepository, clock: { now(): Date }): RequestOutreach {
  return async (order) => {
    const request = outreachRequestOf(order, clock.now());
    const { resource } = await repository.create(
      request,
      order.key ? { ifNoneExist: `identifier=${ORDER_KEY_SYSTEM}|${order.key}` } : undefined,
    );
    return { id: resource.id };
  };
}
