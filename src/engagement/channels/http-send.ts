import type { SendResult } from './channel.ts';
import { requestProvider, type ProviderResponse } from './provider-request.ts';

/** An HTTP call to a provider API, and how to read the message id from its answer. */
export interface ProviderCall {
  url: string;
  init: { method: 'POST'; headers: Record<string, string>; body: string };
  timeoutMs: number;
  idOf: (body: unknown) => string | undefined;
  state: 'queued' | 'sent';
}

/**
 * Calls a provider and classifies the answer the way the engine acts on it: 2xx with an id →
 * accepted; 429 → transient with the provider's Retry-After; other 4xx → permanent (the number
 * or request is wrong: retrying cannot help); 5xx, a timeout or a broken connection → transient.
 * A timeout or a connection broken after connecting is also an unknown outcome: the provider
 * may have accepted the message and its answer was lost.
 */
export async function callProvider(call: ProviderCall): Promise<SendResult> {
  let response: ProviderResponse;
  try {
    response = await requestProvider({ url: call.url, ...call.init, timeoutMs: call.timeoutMs });
  } catch (error) {
    return unanswered(error, call.timeoutMs);
  }
  const { text } = response;
  const body = parseJson(text);
  if (response.ok) {
    const providerId = call.idOf(body);
    if (providerId) return { ok: true, providerId, state: call.state };
    return {
      ok: false,
      kind: 'transient',
      reason: `provider answered ${response.status} without a message id`,
    };
  }
  return failureOf(response, `${response.status} ${describe(body, text)}`);
}

/** Errors that mean the request never reached the provider (nothing can have been sent). */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function unanswered(error: unknown, timeoutMs: number): SendResult {
  const { name, message, cause } = error as Error & { cause?: { code?: string } };
  const why = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : message;
  const neverConnected = cause?.code !== undefined && NEVER_CONNECTED.has(cause.code);
  return {
    ok: false,
    kind: 'transient',
    reason: `provider unreachable: ${why}`,
    ...(neverConnected ? {} : { outcome: 'unknown' as const }),
  };
}

/** A GET to a provider's API: its JSON body, or an error saying why there is none. */
export async function readProvider(call: {
  url: string;
  init: RequestInit;
  timeoutMs: number;
}): Promise<unknown> {
  const response = await fetch(call.url, { ...call.init, signal: AbortSignal.timeout(call.timeoutMs) });
  const text = await response.text();
  if (!response.ok) throw new Error(`provider lookup answered ${response.status}: ${text.slice(0, 300)}`);
  return parseJson(text);
}

function failureOf(response: ProviderResponse, detail: string): SendResult {
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      ok: false,
      kind: 'transient',
      reason: `rate limited: ${detail}`,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
    };
  }
  const permanent = response.status >= 400 && response.status < 500;
  return { ok: false, kind: permanent ? 'permanent' : 'transient', reason: `provider refused: ${detail}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The provider's own words: Twilio's `message`, the Cloud API's `error.message`. */
function describe(body: unknown, text: string): string {
  const record = (body ?? {}) as { message?: string; error?: { message?: string } };
  return (record.message ?? record.error?.message ?? text).slice(0, 300);
}
