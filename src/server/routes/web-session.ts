import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { authSettingsOf, issueAccessToken, recordAudit, resumeStaffSession } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { contextOf } from './oauth-replies.ts';

/**
 * The staff web app's session: its access token lives in memory only (never localStorage,
 * where any injected script could read it); a page reload gets a new one from
 * `POST /auth/session/token`, which reads this HttpOnly, SameSite=Strict cookie. The cookie
 * names the server-side sign-in session with an HMAC under the token key, so a leaked access
 * token (whose `sid` claim is readable) cannot be turned into fresh tokens; and ending the
 * session (logout, idle, absolute limit) ends the cookie's power with it.
 */
const COOKIE = 'throughline_session';
const COOKIE_PATH = '/auth/session';
/** Cross-site forms cannot send custom headers: a second guard beside SameSite=Strict. */
const WEB_HEADER = 'x-throughline-web';

function mac(deps: ServerDeps, sessionId: string): string {
  return createHmac('sha256', deps.tokens.key).update(`web-session:${sessionId}`).digest('base64url');
}

function attributes(deps: ServerDeps, maxAge: number): string {
  const secure = deps.config.baseUrl.startsWith('https://') ? '; Secure' : '';
  return `Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

/** `Set-Cookie` for a new sign-in session. */
export function sessionCookie(deps: ServerDeps, sessionId: string): string {
  const maxAge = authSettingsOf(deps.config).sessionMaxSeconds;
  return `${COOKIE}=${sessionId}.${mac(deps, sessionId)}; ${attributes(deps, maxAge)}`;
}

export function clearedSessionCookie(deps: ServerDeps): string {
  return `${COOKIE}=; ${attributes(deps, 0)}`;
}

/** The session id of a well-signed cookie, else undefined. */
function sessionIdOf(deps: ServerDeps, cookieHeader: string | undefined): string | undefined {
  const value = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  const [sessionId, signature] = (value ?? '').split('.');
  if (!sessionId || !signature) return undefined;
  const expected = Buffer.from(mac(deps, sessionId));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? sessionId : undefined;
}

/** What the web app shows of the session's limits (it counts the idle time down itself). */
export function sessionLimits(deps: ServerDeps, remainingSeconds: number) {
  return { idle_seconds: authSettingsOf(deps.config).sessionIdleSeconds, expires_in: remainingSeconds };
}

/** `POST /auth/session/token`: a new access token for the cookie's live sign-in session. */
export function registerWebSessionRoute(app: FastifyInstance, deps: ServerDeps): void {
  app.post('/auth/session/token', async (request, reply) => {
    if (request.headers[WEB_HEADER] !== '1')
      throw new ThroughlineError('FORBIDDEN', `The ${WEB_HEADER} header is required`);
    const sessionId = sessionIdOf(deps, request.headers.cookie);
    const resumed = sessionId ? await resumeStaffSession(deps.db, sessionId) : undefined;
    if (!resumed) {
      const detail = sessionId ? 'web session ended' : 'no valid web session cookie';
      await recordAudit(
        deps.db,
        { context: contextOf(request) },
        { action: 'token', patients: [], outcome: 'failure', detail },
      );
      reply.header('set-cookie', clearedSessionCookie(deps));
      throw new ThroughlineError('UNAUTHENTICATED', 'No live session: sign in again');
    }
    const { principal } = resumed;
    await recordAudit(
      deps.db,
      { principal, context: contextOf(request) },
      { action: 'token', patients: [], outcome: 'success', detail: 'web session resumed' },
    );
    return reply.header('Cache-Control', 'no-store').send({
      access_token: await issueAccessToken(deps.tokens, principal, { sessionId: resumed.sessionId }),
      token_type: 'Bearer',
      expires_in: deps.tokens.ttlSeconds,
      scope: principal.scopes.join(' '),
      session: sessionLimits(deps, resumed.remainingSeconds),
    });
  });
}
