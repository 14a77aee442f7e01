import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../server-deps.ts';
import {
  authorizeClient,
  authThrottle,
  loginAccount,
  tokenClient,
  type ThrottleHook,
} from './auth-throttle.ts';
import { registerAuthorizeRoute } from './authorize-route.ts';
import { codeThrottles } from './code-throttle.ts';
import { registerMfaRoutes } from './mfa-routes.ts';
import { formOf, oauthError } from './oauth-replies.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { registerSignInCodeRoutes } from './sign-in-code-routes.ts';
import { tokenGrants } from './token-grants.ts';

/**
 * OAuth 2.0 and staff sign-in: `POST /oauth2/token` (client credentials, authorization code +
 * PKCE, refresh token), `GET /oauth2/authorize`, `POST /auth/login`, `POST /auth/logout`, and
 * TOTP enrolment under `/auth/mfa/totp`, and a patient's sign-in by a one-time code
 * (`/auth/code/request`, `/auth/code/verify`). Token, sign-in and authorize attempts are throttled
 * per address and account or client (`auth-throttle.ts`), codes per identifier and address
 * (`code-throttle.ts`).
 */
export function registerAuthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Its own scope: the rate-limit plugin must be registered before these routes are.
  app.register(async (scope) => {
    const throttle = await authThrottle(scope, deps.config);
    registerTokenRoute(scope, deps, throttle(tokenClient));
    registerSessionRoutes(scope, deps, throttle(loginAccount));
    registerAuthorizeRoute(scope, deps, throttle(authorizeClient));
    registerMfaRoutes(scope, deps);
    registerSignInCodeRoutes(scope, deps, codeThrottles(scope, deps.config));
  });
}

function registerTokenRoute(app: FastifyInstance, deps: ServerDeps, throttle: ThrottleHook): void {
  const grants = tokenGrants(deps);
  app.post('/oauth2/token', { preHandler: throttle }, async (request, reply) => {
    const form = formOf(request.body);
    const type = form.grant_type ?? '';
    if (!Object.hasOwn(grants, type)) {
      return oauthError(reply, {
        status: 400,
        error: 'unsupported_grant_type',
        description: `Supported: ${Object.keys(grants).join(', ')}`,
      });
    }
    return grants[type]!(request, reply, form);
  });
}
