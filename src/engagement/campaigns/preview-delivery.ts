import type { CommunicationRequest } from '@medplum/fhirtypes';
import { evaluateConsent } from '../consent/evaluate-consent.ts';
import type { Channel } from '../model/outreach-codes.ts';
import { deliveryContext } from '../engine/delivery-context.ts';
import type { DecisionDeps } from '../engine/engagement-deps.ts';
import { sendableAt } from '../engine/send-window.ts';

/** What would happen to one request if it fell due at `at`: the channel and when, or why not. */
export type DeliveryPreview = { send: true; channel: Channel; at: string } | { send: false; reason: string };

/**
 * The engine's decision for a request, made without sending or writing anything: the same
 * context (person, consents, stops) and, per channel in order, the same consent and send-window
 * checks `tryChannel` makes at the moment of sending. The decision can still change before it
 * goes (a STOP, a new consent): the engine checks again then.
 */
export async function previewDelivery(
  deps: DecisionDeps,
  preview: { request: CommunicationRequest; at: Date },
): Promise<DeliveryPreview> {
  const { at } = preview;
  const request = { ...preview.request, id: preview.request.id ?? 'preview' };
  const context = await deliveryContext(deps, request, at);
  if ('stop' in context) return { send: false, reason: context.stop };
  if (context.channels.length === 0) return { send: false, reason: 'no contact point for any channel' };
  const refused: string[] = [];
  for (const channel of context.channels) {
    const consent = evaluateConsent({
      channel,
      purpose: context.purpose,
      consents: context.consents,
      now: at,
    });
    if (!consent.permitted) {
      refused.push(`${channel}: ${consent.reason}`);
      continue;
    }
    const when = await sendableAt(deps.repository, deps.rules, {
      request,
      purpose: context.purpose,
      channel,
      personId: context.person.patient.id!,
      recordIds: context.person.recordIds,
      zone: context.zone,
      quietHours: context.quietHours,
      now: at,
    });
    return { send: true, channel, at: when.toISOString() };
  }
  return { send: false, reason: refused.join('; ') };
}
