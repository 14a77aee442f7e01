import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  authenticateClient,
  grantScopes,
  issueAccessToken,
  recordAudit,
  signIn,
  type Principal,
} from '../../access/index.ts';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';

type Form = Record<string, string | undefined>;

const formOf = (body: unknown): Form => Object.fromEntries((body as [string, string][] | undefined) ?? []);

/** RFC 6749 §5.2 error response (OAuth endpoints answer in OAuth's format, not FHIR's). */
function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="throughline"');
  return reply
    .status(status)
    .header('Cache-Control', 'no-store')
    .send({ error, error_description: description });
}

function basicCredentials(header: string | undefined): [string, string] | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) return undefined;
  try {
    return [decodeURIComponent(decoded.slice(0, at)), decodeURIComponent(decoded.slice(at + 1))];
  } catch {
    // Malformed percent-encoding is bad credentials (401), not a server error.
    return ['', ''];
  }
}

export function registerAuthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const tokenResponse = async (reply: FastifyReply, principal: Principal) =>
    reply.header('Cache-Control', 'no-store').send({
      access_token: await issueAccessToken(deps.tokens, principal),
      token_type: 'Bearer',
      expires_in: deps.tokens.ttlSeconds,
      scope: principal.scopes.join(' '),
    });

  app.post('/oauth2/token', async (request, reply) => {
    const form = formOf(request.body);
    if (form.grant_type !== 'client_credentials') {
      return oauthError(reply, 400, 'unsupported_grant_type', 'Only client_credentials is supported here');
    }
    const [clientId, secret] = basicCredentials(request.headers.authorization) ?? [
      form.client_id,
      form.client_secret,
    ];
    const context = { requestId: request.id, remoteAddress: request.ip };
    try {
      const client = await authenticateClient(deps.db, clientId ?? '', secret ?? '');
      const scopes = grantScopes((form.scope ?? '').split(' ').filter(Boolean), client.scopes);
      if (scopes.length === 0)
        return oauthError(
          reply,
          400,
          'invalid_scope',
          'None of the requested scopes is allowed for this client',
        );
      await recordAudit(deps.db, client, context, { action: 'token', patients: [], outcome: 'success' });
      return tokenResponse(reply, { ...client, scopes });
    } catch (error) {
      if (!isThroughlineError(error)) throw error;
      await recordAudit(deps.db, undefined, context, {
        action: 'token',
        patients: [],
        outcome: 'failure',
        detail: `client ${clientId ?? '?'}`,
      });
      return oauthError(reply, 401, 'invalid_client', 'Invalid client credentials');
    }
  });

  app.post('/auth/login', async (request, reply) => {
    const body = Array.isArray(request.body) ? formOf(request.body) : ((request.body ?? {}) as Form);
    const context = { requestId: request.id, remoteAddress: request.ip };
    try {
      const user = await signIn(deps.db, String(body.email ?? ''), String(body.password ?? ''));
      await recordAudit(deps.db, user, context, { action: 'login', patients: [], outcome: 'success' });
      return tokenResponse(reply, user);
    } catch (error) {
      if (!isThroughlineError(error)) throw error;
      await recordAudit(deps.db, undefined, context, { action: 'login', patients: [], outcome: 'failure' });
      return oauthError(reply, 401, 'invalid_grant', 'Invalid email or password');
    }
  });
}
