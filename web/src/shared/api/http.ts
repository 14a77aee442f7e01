import { ACTING_FOR_HEADER, actingFor } from '../session/acting-for.ts';
import { currentSession, noteActivity, resumeSession, sessionEnded } from '../session/session-store.ts';

/** A failed call, with the server's own words (OperationOutcome diagnostics) for the UI. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

interface OperationOutcome {
  resourceType?: string;
  issue?: { diagnostics?: string; details?: { text?: string } }[];
  error_description?: string;
}

async function errorOf(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as OperationOutcome;
    const issue = body.issue?.[0];
    message = issue?.diagnostics ?? issue?.details?.text ?? body.error_description ?? message;
  } catch {
    // Not JSON: the status line says enough.
  }
  if (response.status === 403) message = `Your role may not do this. ${message}`;
  return new ApiError(response.status, message);
}

function send(path: string, init: RequestInit, token: string | undefined): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  // A caregiver acting for someone: the server checks her grant on every call.
  const person = actingFor();
  if (person) headers.set(ACTING_FOR_HEADER, `Patient/${person.patient}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(path, { ...init, headers });
}

/**
 * A call to the platform with the session's token. An expired token is renewed once with the
 * session cookie; if the session itself ended, the app returns to sign-in.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response = await send(path, init, currentSession()?.token);
  if (response.status === 401) {
    const renewed = await resumeSession();
    if (!renewed) {
      sessionEnded();
      throw new ApiError(401, 'Your session ended. Sign in again.');
    }
    response = await send(path, init, renewed.token);
  }
  if (!response.ok) throw await errorOf(response);
  noteActivity();
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function post<T>(path: string, body: unknown, contentType = 'application/json'): Promise<T> {
  return api<T>(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': contentType },
  });
}
