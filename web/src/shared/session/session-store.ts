/**
 * The signed-in user's session, in memory only. The access token is never written to
 * localStorage or sessionStorage (a script injected into the page could read it there); a
 * reload asks the server for a new one with the HttpOnly session cookie that sign-in set
 * (`POST /auth/session/token`), which this page's scripts can neither read nor send
 * elsewhere. Signing out ends the server-side session, so the cookie stops working too.
 */
export interface SessionUser {
  id: string;
  name: string;
  roles: string[];
  /** A patient's (or proxy's) own record: the SMART patient context of the token. */
  patient?: string;
}

export interface Session {
  token: string;
  user: SessionUser;
  /** The server ends the session after this long without a request. */
  idleSeconds: number;
  /** When the server ends the session however busy (epoch ms). */
  endsAt: number;
  /** The last request that kept the session alive (epoch ms). */
  lastActivity: number;
}

interface TokenAnswer {
  access_token: string;
  session?: { idle_seconds: number; expires_in: number };
}

type Listener = (session: Session | undefined) => void;

let current: Session | undefined;
const listeners = new Set<Listener>();

function publish(next: Session | undefined): void {
  current = next;
  for (const listener of listeners) listener(next);
}

export function currentSession(): Session | undefined {
  return current;
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The token's claims, for display only: the server checks the token on every request. */
function userOf(token: string): SessionUser {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
    sub: string;
    name?: string;
    roles?: string[];
    patient?: string;
  };
  const user = { id: claims.sub, name: claims.name ?? claims.sub, roles: claims.roles ?? [] };
  return claims.patient ? { ...user, patient: claims.patient } : user;
}

function sessionOf(answer: TokenAnswer): Session {
  const now = Date.now();
  const limits = answer.session ?? { idle_seconds: 1800, expires_in: 12 * 3600 };
  return {
    token: answer.access_token,
    user: userOf(answer.access_token),
    idleSeconds: limits.idle_seconds,
    endsAt: now + limits.expires_in * 1000,
    lastActivity: now,
  };
}

export class SignInError extends Error {}

/** Email and password (and the TOTP code once enrolled). */
export async function signIn(credentials: {
  email: string;
  password: string;
  code?: string;
}): Promise<Session> {
  const response = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (response.status === 429) throw new SignInError('Too many attempts. Wait a minute and try again.');
  if (!response.ok) throw new SignInError('Invalid email, password or one-time code.');
  const session = sessionOf((await response.json()) as TokenAnswer);
  publish(session);
  return session;
}

/** A new token for the cookie's session (after a reload, or when the token expires). */
export async function resumeSession(): Promise<Session | undefined> {
  const response = await fetch('/auth/session/token', {
    method: 'POST',
    headers: { 'x-throughline-web': '1' },
  });
  if (!response.ok) {
    publish(undefined);
    return undefined;
  }
  const session = sessionOf((await response.json()) as TokenAnswer);
  publish(session);
  return session;
}

/** A request reached the server with the token: the idle clock starts again. */
export function noteActivity(): void {
  if (current) current = { ...current, lastActivity: Date.now() };
}

export async function signOut(): Promise<void> {
  const token = current?.token;
  publish(undefined);
  if (token) await fetch('/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

/** The server ended the session (idle or absolute limit, or signed out elsewhere). */
export function sessionEnded(): void {
  publish(undefined);
}
