import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  authenticateAppClient,
  authenticateClient,
  authenticateClientAssertion,
  JWT_BEARER_ASSERTION,
  authSettingsOf,
  exchangeAuthorizationCode,
  grantScopes,
  issueAccessToken,
  OAuthError,
  recordAudit,
  RefreshTokenReuse,
  rotateRefreshToken,
  type AppGrant,
  type Principal,
} from '../../access/index.ts';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { clientCredentials, contextOf, oauthError, type Form } from './oauth-replies.ts';

type GrantHandler = (request: FastifyRequest, reply: FastifyReply, form: Form) => Promise<FastifyReply>;

/** The grant types of `POST /oauth2/token`, each answering RFC 6749 §5.1 or §5.2. */
export function tokenGrants(deps: ServerDeps): Record<string, GrantHandler> {
  const settings = authSettingsOf(deps.config);
  const appOf = (request: FastifyRequest, form: Form) => {
    const credentials = clientCredentials(request, form);
    return authenticateAppClient(deps.db, credentials.id, credentials.secret);
  };
  return {
    client_credentials: clientCredentialsGrant(deps),
    authorization_code: appGrantHandler(deps, 'authorization_code', async (form, request) =>
      exchangeAuthorizationCode(deps.db, settings, {
        client: await appOf(request, form),
        code: form.code ?? '',
        redirectUri: form.redirect_uri ?? '',
        codeVerifier: form.code_verifier ?? '',
      }),
    ),
    refresh_token: appGrantHandler(deps, 'refresh_token', async (form, request) =>
      rotateRefreshToken(deps.db, {
        refreshToken: form.refresh_token ?? '',
        client: await appOf(request, form),
        ...(form.scope ? { scope: form.scope } : {}),
      }),
    ),
  };
}

/** Runs one app grant; OAuth errors are audited and answered, a reused refresh token loudly. */
function appGrantHandler(
  deps: ServerDeps,
  name: string,
  grant: (form: Form, request: FastifyRequest) => Promise<AppGrant>,
): GrantHandler {
  return async (request, reply, form) => {
    const context = contextOf(request);
    try {
      const granted = await grant(form, request);
      await recordAudit(
        deps.db,
        { principal: granted.principal, context },
        {
          action: 'token',
          patients: [],
          outcome: 'success',
          detail: `${name} for ${granted.clientId}`,
        },
      );
      return await replyWithAppTokens(deps, reply, granted);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const reuse = error instanceof RefreshTokenReuse;
      await recordAudit(
        deps.db,
        { context },
        {
          action: reuse ? 'refresh-token-reuse' : 'token',
          patients: [],
          outcome: reuse ? 'denied' : 'failure',
          detail: reuse
            ? `user ${error.userId}: grant ${error.familyId} revoked`
            : `${name}: ${error.error}: ${error.message}`,
        },
      );
      return oauthError(reply, { status: error.status, error: error.error, description: error.message });
    }
  };
}

async function replyWithAppTokens(deps: ServerDeps, reply: FastifyReply, grant: AppGrant) {
  return reply.header('Cache-Control', 'no-store').send({
    access_token: await issueAccessToken(deps.tokens, grant.principal, {
      sessionId: grant.sessionId,
      clientId: grant.clientId,
    }),
    token_type: 'Bearer',
    expires_in: deps.tokens.ttlSeconds,
    scope: grant.scope.join(' '),
    ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
  });
}

/**
 * Systems (backend services): client id and secret, or — SMART Backend Services — a JWT the
 * client signed with a key registered for it; scopes narrowed to the client's.
 */
function clientCredentialsGrant(deps: ServerDeps): GrantHandler {
  return async (request, reply, form) => {
    const context = contextOf(request);
    let client: Principal;
    try {
      client = await authenticateSystem(deps, request, form);
    } catch (error) {
      if (!isThroughlineError(error) && !(error instanceof OAuthError)) throw error;
      const claimed = clientCredentials(request, form).id || (form.client_assertion ? 'assertion' : '?');
      await recordAudit(
        deps.db,
        { context },
        { action: 'token', patients: [], outcome: 'failure', detail: `client ${claimed}` },
      );
      const description = error instanceof OAuthError ? error.message : 'Invalid client credentials';
      return oauthError(reply, { status: 401, error: 'invalid_client', description });
    }
    const scopes = grantScopes((form.scope ?? '').split(' ').filter(Boolean), client.scopes);
    if (scopes.length === 0) {
      return oauthError(reply, {
        status: 400,
        error: 'invalid_scope',
        description: 'None of the requested scopes is allowed for this client',
      });
    }
    const caller = { principal: client, context };
    await recordAudit(deps.db, caller, { action: 'token', patients: [], outcome: 'success' });
    return reply.header('Cache-Control', 'no-store').send({
      access_token: await issueAccessToken(deps.tokens, { ...client, scopes }),
      token_type: 'Bearer',
      expires_in: deps.tokens.ttlSeconds,
      scope: scopes.join(' '),
    });
  };
}

/** RFC 7521 §4.2: a `client_assertion` of the JWT type, else the client's id and secret. */
function authenticateSystem(deps: ServerDeps, request: FastifyRequest, form: Form): Promise<Principal> {
  if (form.client_assertion_type === undefined && form.client_assertion === undefined) {
    const credentials = clientCredentials(request, form);
    return authenticateClient(deps.db, credentials.id, credentials.secret ?? '');
  }
  if (form.client_assertion_type !== JWT_BEARER_ASSERTION)
    throw new OAuthError('invalid_client', `client_assertion_type must be ${JWT_BEARER_ASSERTION}`, 401);
  return authenticateClientAssertion(deps.db, {
    assertion: form.client_assertion ?? '',
    tokenUrl: `${deps.config.baseUrl}/oauth2/token`,
    clock: deps.clock,
  });
}
