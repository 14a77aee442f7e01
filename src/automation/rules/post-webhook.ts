import { endpointRefusal, type HostPolicy } from '../subscriptions/allowed-hosts.ts';
import { signatureOf } from '../subscriptions/send-notification.ts';

/** How a rule's webhook is sent: the Subscriptions' host policy (SSRF guard), a key, a timeout. */
export interface WebhookPolicy {
  hosts: HostPolicy;
  /** `AUTOMATION_WEBHOOK_SECRET`; absent, a webhook action fails. */
  secret?: string;
  timeoutMs: number;
  /** First retry after a refusal that may pass (5xx, 408, 429, no answer); doubles each time. */
  retryBaseMs: number;
}

/** What came of one POST: taken, to be tried again later, or refused for good. */
export type WebhookAnswer = { ok: true; status: number } | { ok: false; retry: boolean; reason: string };

/**
 * POSTs signed JSON, as a Subscription notification is sent: `X-Signature` = hex HMAC-SHA256 of
 * the body, `Idempotency-Key` the action's key (the same on every attempt), the endpoint held to
 * the allowed hosts before each attempt, redirects not followed, a timeout.
 */
export async function postWebhook(
  policy: WebhookPolicy,
  request: { url: string; body: string; key: string },
): Promise<WebhookAnswer> {
  if (!policy.secret)
    return {
      ok: false,
      retry: false,
      reason: 'AUTOMATION_WEBHOOK_SECRET is not set: webhooks are not signed',
    };
  const refusal = await endpointRefusal(policy.hosts, request.url);
  if (refusal) return { ok: false, retry: false, reason: refusal };
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': signatureOf(policy.secret, request.body),
        'idempotency-key': request.key,
      },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(policy.timeoutMs),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    const redirect = response.status >= 300 && response.status < 400 ? ': redirects are not followed' : '';
    return { ok: false, retry, reason: `HTTP ${response.status}${redirect}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      ok: false,
      retry: true,
      reason: `${(error as Error).name}: ${cause ?? (error as Error).message}`,
    };
  }
}
