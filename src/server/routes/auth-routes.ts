import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../server-deps.ts';
import { registerAuthorizeRoute } from './authorize-route.ts';
import { registerMfaRoutes } from './mfa-routes.ts';
import { formOf, oauthError } from './oauth-replies.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { tokenGrants } from './token-grants.ts';

/**
 * OAuth 2.0 and staff sign-in: `POST /oauth2/token` (client credentials, authorization code +
 * PKCE, refresh token), `GET /oauth2/authorize`, `POST /auth/login`, `POST /auth/logout`, and
 * TOTP enrolment under `/auth/mfa/totp`.
 */
export function registerAuthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const grants = tokenGrants(deps);
  app.post('/oauth2/token', async (request, reply) => {
    const form = formOf(request.body);
    const type = form.grant_type ?? '';
    if (!Object.hasOwn(grants, type)) {
      return oauthError(reply, 400, 'unsupported_grant_type', `Supported: ${Object.keys(grants).join(', ')}`);
    }
    return grants[type]!(request, reply, form);
  });
  registerSessionRoutes(app, deps);
  registerAuthorizeRoute(app, deps);
  registerMfaRoutes(app, deps);
}
