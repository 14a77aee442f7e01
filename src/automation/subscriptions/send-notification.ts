import { createHmac } from 'node:crypto';
import { backgroundRoundTrip } from '../../store/index.ts';

/** One notification as it goes over the wire. */
export interface Notification {
  endpoint: string;
  /** `channel.header`, then the platform's own (which win). */
  headers: [string, string][];
  /** The resource as JSON, or empty (a ping: "something matched, come and read"). */
  body: string;
  secret: string;
  /** The same for every attempt of this notification, so the receiver can drop a repeat. */
  idempotencyKey: string;
  subscriptionId: string;
  timeoutMs: number;
}

/** HMAC-SHA256 of the exact body bytes, hex: what `X-Signature` carries. */
export function signatureOf(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/**
 * POSTs the notification; undefined when the receiver took it (2xx), else why not. Redirects
 * are not followed (SSRF: the allowed host must not hand the request on to another).
 */
export async function sendNotification(notification: Notification): Promise<string | undefined> {
  const headers = new Headers(notification.headers);
  if (notification.body) headers.set('content-type', 'application/fhir+json');
  headers.set('x-signature', signatureOf(notification.secret, notification.body));
  headers.set('x-subscription-id', notification.subscriptionId);
  headers.set('idempotency-key', notification.idempotencyKey);
  try {
    // The receiver's answer is awaited outside background work's turn (`backgroundRoundTrip`).
    const response = await backgroundRoundTrip(async () => {
      const answer = await fetch(notification.endpoint, {
        method: 'POST',
        headers,
        body: notification.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(notification.timeoutMs),
      });
      await answer.body?.cancel();
      return answer;
    });
    if (response.status >= 200 && response.status < 300) return undefined;
    if (response.status >= 300 && response.status < 400)
      return `HTTP ${response.status}: redirects are not followed`;
    return `HTTP ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return `${(error as Error).name}: ${cause ?? (error as Error).message}`;
  }
}
