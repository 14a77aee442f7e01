import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  authSettingsOf,
  issueAccessToken,
  recordAudit,
  revokeSession,
  signInStaff,
  type Principal,
} from '../../access/index.ts';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import type { ThrottleHook } from './auth-throttle.ts';
import { bearerVerifierOf } from './bearer-verifier.ts';
import {
  contextOf,
  formOf,
  oauthError,
  SIGN_IN_FORM_CHALLENGE,
  type OAuthErrorAnswer,
} from './oauth-replies.ts';
import {
  clearedSessionCookie,
  registerWebSessionRoute,
  sessionCookie,
  sessionLimits,
} from './web-session.ts';

/** One answer whatever failed (account, password, code, lockout): nothing to enumerate. */
const LOGIN_FAILED: OAuthErrorAnswer = {
  status: 401,
  error: 'invalid_grant',
  description: 'Invalid email, password or one-time code',
  challenge: SIGN_IN_FORM_CHALLENGE,
};

/** The OAuth token answer of a new sign-in (by password or by code). */
export async function tokenAnswer(deps: ServerDeps, signedIn: { principal: Principal; sessionId: string }) {
  return {
    access_token: await issueAccessToken(deps.tokens, signedIn.principal, { sessionId: signedIn.sessionId }),
    token_type: 'Bearer',
    expires_in: deps.tokens.ttlSeconds,
    scope: signedIn.principal.scopes.join(' '),
    // The limits the web app shows before the session ends (idle and absolute, seconds).
    session: sessionLimits(deps, authSettingsOf(deps.config).sessionMaxSeconds),
  };
}

/** Staff `POST /auth/login` and `POST /auth/logout`: server-side sessions. */
export function registerSessionRoutes(app: FastifyInstance, deps: ServerDeps, throttle: ThrottleHook): void {
  const settings = authSettingsOf(deps.config);
  const verifier = bearerVerifierOf(deps);

  /** Email + password (+ `code` once TOTP is enrolled) → an access token bound to a new session. */
  app.post('/auth/login', { preHandler: throttle }, loginHandler(deps, settings));
  registerWebSessionRoute(app, deps);

  /** Ends the caller's session server-side: its tokens (and its online app grants) stop working. */
  app.post('/auth/logout', async (request, reply) => {
    const context = contextOf(request);
    const { principal, sessionId } = await verifier.authenticate(request.headers.authorization, context);
    if (sessionId) await revokeSession(deps.db, sessionId, 'logout');
    await recordAudit(
      deps.db,
      { principal, context },
      {
        action: 'logout',
        patients: [],
        outcome: 'success',
        ...(sessionId ? {} : { detail: 'token has no session: nothing to revoke' }),
      },
    );
    return reply.status(204).header('set-cookie', clearedSessionCookie(deps)).send();
  });
}

/** `POST /auth/login`: one answer whatever failed (account, password, code, lockout). */
function loginHandler(deps: ServerDeps, settings: ReturnType<typeof authSettingsOf>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = formOf(request.body);
    const context = contextOf(request);
    try {
      const { principal, sessionId } = await signInStaff(deps.db, settings, {
        email: body.email ?? '',
        password: body.password ?? '',
        ...(body.code ? { code: body.code } : {}),
        ...(context.remoteAddress ? { address: context.remoteAddress } : {}),
      });
      const signedIn = { principal, sessionId };
      await recordAudit(
        deps.db,
        { principal, context },
        { action: 'login', patients: [], outcome: 'success' },
      );
      return reply
        .header('Cache-Control', 'no-store')
        .header('set-cookie', sessionCookie(deps, sessionId))
        .send(await tokenAnswer(deps, signedIn));
    } catch (error) {
      if (!isThroughlineError(error)) throw error;
      await recordAudit(deps.db, { context }, { action: 'login', patients: [], outcome: 'failure' });
      return oauthError(reply, LOGIN_FAILED);
    }
  };
}
