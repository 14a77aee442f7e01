import type { CommunicationRequest } from '@medplum/fhirtypes';
import type { EngagementDeps } from '../engine/engagement-deps.ts';
import { deliveryStateOf, withDeliveryState } from '../engine/record-attempt.ts';
import type { DeliveryState } from '../model/outreach-codes.ts';
import { attemptByProviderId } from './find-outbound.ts';
import { namedOpenAttempt, settleOpenAttempt } from './settle-open-attempt.ts';

/** A provider's report on a message it accepted. */
export interface DeliveryReport {
  providerId: string;
  state: DeliveryState;
  /** The provider's error (code or words), for failed ones. */
  reason?: string;
  /**
   * The attempt the provider was told about when the message was sent (Twilio's StatusCallback
   * `?attempt=`, WhatsApp's `biz_opaque_callback_data`): settles it when the send's answer was lost.
   */
  attempt?: { id: string } | { key: string };
}

const RANK: Record<DeliveryState, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * A status callback: the attempt's delivery state moves forward (a late `sent` after `delivered`
 * changes nothing). Delivered or read completes the attempt; failed makes it not-done with the
 * provider's reason and puts the request back to active, so the engine tries the next channel.
 * A report on an attempt whose send answer was lost (no provider id on file yet, but the attempt
 * named in the report) settles it (`settle-open-attempt.ts`).
 */
export async function recordDeliveryStatus(
  deps: EngagementDeps,
  report: DeliveryReport,
): Promise<'recorded' | 'unknown' | 'unchanged'> {
  const attempt = await attemptByProviderId(deps.repository, report.providerId);
  if (!attempt) {
    const open = report.attempt && (await namedOpenAttempt(deps.repository, report.attempt));
    if (!open) return 'unknown';
    await settleOpenAttempt(deps, { attempt: open, report });
    return 'recorded';
  }
  const current = deliveryStateOf(attempt) ?? 'queued';
  if (RANK[report.state] <= RANK[current] || current === 'failed') return 'unchanged';
  const now = deps.clock.now().toISOString();
  if (report.state === 'failed') {
    const reason = `provider reported failure${report.reason ? `: ${report.reason}` : ''}`;
    await deps.repository.update(
      withDeliveryState({ ...attempt, status: 'not-done', statusReason: { text: reason } }, 'failed'),
    );
    await reopenRequest(deps, attempt.basedOn?.[0]?.reference);
    return 'recorded';
  }
  const done = report.state === 'delivered' || report.state === 'read';
  await deps.repository.update(
    withDeliveryState(
      {
        ...attempt,
        status: done ? 'completed' : attempt.status,
        ...(done && !attempt.received ? { received: now } : {}),
      },
      report.state,
    ),
  );
  return 'recorded';
}

async function reopenRequest(deps: EngagementDeps, reference: string | undefined): Promise<void> {
  if (!reference?.startsWith('CommunicationRequest/')) return;
  const request = await deps.repository.read<CommunicationRequest>(
    'CommunicationRequest',
    reference.slice(21),
  );
  if (request.status !== 'completed') return;
  await deps.repository.update({
    ...request,
    status: 'active',
    statusReason: { text: 'delivery failed: trying the next channel' },
  });
}
