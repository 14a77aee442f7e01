import type { FastifyRequest } from 'fastify';
import { scopeRepository, verifyAccessToken } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';

/** Every FHIR request but the open ones needs a bearer token; its principal scopes the store. */
export function authenticate(deps: ServerDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      throw new ThroughlineError('UNAUTHENTICATED', 'A bearer token is required (POST /oauth2/token)');
    }
    const principal = await verifyAccessToken(deps.tokens, header.slice('Bearer '.length).trim());
    request.principal = principal;
    request.fhir = scopeRepository(
      deps.repository,
      principal,
      { requestId: request.id, remoteAddress: request.ip },
      deps.db,
    );
  };
}
