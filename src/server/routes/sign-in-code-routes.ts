import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  authSettingsOf,
  CODE_TTL_MINUTES,
  parseSignInIdentifier,
  recordAudit,
  signInWithCode,
} from '../../access/index.ts';
import { isThroughlineError, ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import type { ThrottleHook } from './auth-throttle.ts';
import { contextOf, formOf, oauthError, SIGN_IN_FORM_CHALLENGE } from './oauth-replies.ts';
import { tokenAnswer } from './session-routes.ts';
import { sessionCookie } from './web-session.ts';

/** The one answer to every well-formed request, whether or not an account has the identifier. */
const CODE_REQUESTED = {
  status: 'requested',
  expires_in: CODE_TTL_MINUTES * 60,
  message:
    'If this email address or mobile number belongs to a portal account, a 6-digit code is on its way.',
};

/**
 * A patient's sign-in by a one-time code (issue 20): `POST /auth/code/request {identifier}`
 * answers 202 at once — the account is looked up, the code stored and sent after the answer
 * has gone (`sign-in-code-service.ts`), so neither its content nor its timing says whether the
 * account exists — and `POST /auth/code/verify {identifier, code}` answers what `/auth/login`
 * does: the token, the session limits and the web session cookie.
 */
export function registerSignInCodeRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  throttles: { request: ThrottleHook; verify: ThrottleHook },
): void {
  app.post('/auth/code/request', { preHandler: throttles.request }, async (request, reply) => {
    const identifier = parseSignInIdentifier(formOf(request.body).identifier);
    deps.signInCodes.request(identifier, contextOf(request));
    return reply.status(202).header('Cache-Control', 'no-store').send(CODE_REQUESTED);
  });
  app.post('/auth/code/verify', { preHandler: throttles.verify }, verifyHandler(deps));
}

/** Six digits; the spaces and dashes people type between them are dropped. */
function codeOf(raw: string | undefined): string {
  const code = (raw ?? '').replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(code))
    throw new ThroughlineError('INVALID_REQUEST', 'code must be 6 digits', { expression: 'code' });
  return code;
}

function verifyHandler(deps: ServerDeps) {
  const settings = authSettingsOf(deps.config);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = formOf(request.body);
    const identifier = parseSignInIdentifier(body.identifier);
    const code = codeOf(body.code);
    const context = contextOf(request);
    const detail = `one-time code (${identifier.kind === 'email' ? 'email' : 'sms'})`;
    try {
      const signedIn = await signInWithCode(deps.db, settings, { key: deps.tokens.key, identifier, code });
      await recordAudit(
        deps.db,
        { principal: signedIn.principal, context },
        { action: 'login', patients: [], outcome: 'success', detail },
      );
      return reply
        .header('Cache-Control', 'no-store')
        .header('set-cookie', sessionCookie(deps, signedIn.sessionId))
        .send(await tokenAnswer(deps, signedIn));
    } catch (error) {
      if (!isThroughlineError(error) || error.code !== 'UNAUTHENTICATED') throw error;
      await recordAudit(deps.db, { context }, { action: 'login', patients: [], outcome: 'failure', detail });
      return oauthError(reply, {
        status: 401,
        error: 'invalid_grant',
        description: 'Invalid or expired code',
        challenge: SIGN_IN_FORM_CHALLENGE,
      });
    }
  };
}
