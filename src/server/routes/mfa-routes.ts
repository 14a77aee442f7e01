import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authSettingsOf, confirmTotp, enrolTotp, recordAudit } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { bearerVerifierOf } from './bearer-verifier.ts';
import { contextOf, formOf } from './oauth-replies.ts';

/**
 * TOTP enrolment for the signed-in staff user: `POST /auth/mfa/totp` answers the secret and an
 * `otpauth://` URI (for a QR code); `POST /auth/mfa/totp/confirm {code}` turns it on.
 */
export function registerMfaRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const settings = authSettingsOf(deps.config);
  const verifier = bearerVerifierOf(deps);

  /** Only a staff sign-in may change its own factors: not an app's token, not an external one. */
  const signedInUser = async (request: FastifyRequest) => {
    const verified = await verifier.authenticate(request.headers.authorization, contextOf(request));
    if (!verified.sessionId || verified.clientId || verified.principal.kind !== 'user') {
      throw new ThroughlineError('FORBIDDEN', 'Sign in with email and password to manage a second factor');
    }
    return verified.principal;
  };

  app.post('/auth/mfa/totp', async (request, reply) => {
    const user = await signedInUser(request);
    const enrolment = await enrolTotp(deps.db, user.id, settings.totpIssuer);
    const caller = { principal: user, context: contextOf(request) };
    await recordAudit(deps.db, caller, { action: 'mfa-enrol', patients: [], outcome: 'success' });
    return reply
      .header('Cache-Control', 'no-store')
      .send({ secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri });
  });

  app.post('/auth/mfa/totp/confirm', async (request, reply) => {
    const user = await signedInUser(request);
    const caller = { principal: user, context: contextOf(request) };
    try {
      await confirmTotp(deps.db, user.id, formOf(request.body).code ?? '');
    } catch (error) {
      await recordAudit(deps.db, caller, { action: 'mfa-confirm', patients: [], outcome: 'failure' });
      throw error;
    }
    await recordAudit(deps.db, caller, { action: 'mfa-confirm', patients: [], outcome: 'success' });
    return reply.status(204).send();
  });
}
