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

/** How long the server asks to wait, in words ("2 minutes"), from a 429's Retry-After. */
function waitOf(response: Response): string {
  const seconds = Number(response.headers.get('retry-after')) || 60;
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? 'a minute' : `${minutes} minutes`;
}

/** Why the server refused a code step, in words a patient can act on. */
async function codeProblem(response: Response, step: 'request' | 'verify'): Promise<SignInError> {
  if (response.status === 429)
    return new SignInError(`Too many attempts. Wait ${waitOf(response)} and try again.`);
  if (response.status === 400) {
    const outcome = (await response.json().catch(() => undefined)) as
      { issue?: { expression?: string[] }[] } | undefined;
    return outcome?.issue?.[0]?.expression?.[0] === 'code'
      ? new SignInError('The code is the 6 digits in the message.')
      : new SignInError('Enter an email address, or a mobile number starting with + and the country code.');
  }
  if (step === 'verify' && response.status === 401)
    return new SignInError('That code is wrong or has expired. Check it, or send a new code.');
  return new SignInError('Something went wrong. Try again in a moment.');
}

/**
 * Asks for a sign-in code by email or text message. The server answers the same whether or
 * not the address or number has an account, so this resolves the same too.
 */
export async function requestSignInCode(identifier: string): Promise<void> {
  const response = await fetch('/auth/code/request', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier }),
  });
  if (response.status !== 202) throw await codeProblem(response, 'request');
}

/** Signs in with the code that was sent: the same session as after a password. */
export async function signInWithCode(identifier: string, code: string): Promise<Session> {
  const response = await fetch('/auth/code/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier, code }),
  });
  if (!response.ok) throw await codeProblem(response, 'verify');
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
