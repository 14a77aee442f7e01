import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  appForAuthorization,
  authSettingsOf,
  issueAuthorizationCode,
  OAuthError,
  recordAudit,
  requireStateAndAudience,
  type AuthorizationRequest,
  type BearerVerifier,
  type RequestContext,
} from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import type { ThrottleHook } from './auth-throttle.ts';
import { bearerVerifierOf } from './bearer-verifier.ts';
import { contextOf, oauthError } from './oauth-replies.ts';

type Query = Record<string, string | undefined>;

/**
 * `GET /oauth2/authorize` (SMART App Launch v2, standalone launch), API-first: the staff user
 * is already signed in and sends their bearer token (the staff app does this on the user's
 * say-so); the answer is the RFC 6749 §4.1.2 redirect carrying a code and the app's `state`.
 */
export function registerAuthorizeRoute(app: FastifyInstance, deps: ServerDeps, throttle: ThrottleHook): void {
  const settings = { ...authSettingsOf(deps.config), audience: deps.tokens.audience };
  const verifier = bearerVerifierOf(deps);

  app.get('/oauth2/authorize', { preHandler: throttle }, async (request, reply) => {
    const query = request.query as Query;
    const context = contextOf(request);
    const signedIn = await signedInStaffUser(verifier, request.headers.authorization, context);
    const audit = (outcome: 'success' | 'failure', detail: string) =>
      recordAudit(
        deps.db,
        { principal: signedIn.principal, context },
        { action: 'authorize', patients: [], outcome, detail },
      );
    let client;
    try {
      client = await appForAuthorization(deps.db, query.client_id ?? '', query.redirect_uri ?? '');
      requireStateAndAudience(query, settings.audience);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      await audit('failure', `${query.client_id ?? '?'}: ${error.message}`);
      return oauthError(reply, { status: 400, error: error.error, description: error.message });
    }
    const redirect = (parameters: Record<string, string>) => redirectTo(reply, query, parameters);
    try {
      const { code, scope } = await issueAuthorizationCode(deps.db, settings, {
        client,
        user: signedIn.principal,
        sessionId: signedIn.sessionId,
        request: authorizationRequestOf(query),
      });
      await audit('success', `${client.clientId}: ${scope.join(' ')}`);
      return redirect({ code });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      await audit('failure', `${client.clientId}: ${error.message}`);
      return redirect({ error: error.error, error_description: error.message });
    }
  });
}

/** Only a staff user's own session may authorize an app: not an app's token, not a client's. */
async function signedInStaffUser(
  verifier: BearerVerifier,
  authorization: string | undefined,
  context: RequestContext,
) {
  const signedIn = await verifier.authenticate(authorization, context);
  if (!signedIn.sessionId || signedIn.clientId) {
    throw new ThroughlineError('FORBIDDEN', 'Only a signed-in staff user may authorize an app');
  }
  return { principal: signedIn.principal, sessionId: signedIn.sessionId };
}

function authorizationRequestOf(query: Query): AuthorizationRequest {
  return {
    responseType: query.response_type,
    redirectUri: query.redirect_uri,
    scope: query.scope,
    codeChallenge: query.code_challenge,
    codeChallengeMethod: query.code_challenge_method,
    aud: query.aud,
  };
}

/** The registered redirect URI with the answer and the app's `state` (CSRF protection) added. */
function redirectTo(reply: FastifyReply, query: Query, parameters: Record<string, string>) {
  const target = new URL(query.redirect_uri!);
  for (const [name, value] of Object.entries(parameters)) target.searchParams.set(name, value);
  target.searchParams.set('state', query.state!);
  return reply.header('Cache-Control', 'no-store').redirect(target.toString(), 302);
}
