import type { FastifyInstance } from 'fastify';
import { ASSERTION_ALGORITHMS } from '../../access/index.ts';
import { capabilityStatement } from '../capability-statement.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';

/** The two documents anyone may read without a token: CapabilityStatement and SMART discovery. */
export function registerDiscoveryRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const base = deps.config.baseUrl;
  const statement = capabilityStatement(base, {
    software: { name: 'Throughline', version: '0.1.0' },
    date: deps.clock.now(),
  });
  app.get('/fhir/metadata', async (_request, reply) => reply.type(FHIR_JSON).send(statement));
  const smart = smartConfiguration(base);
  for (const path of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
    app.get(path, async (_request, reply) => reply.send(smart));
  }
}

/**
 * SMART App Launch v2 discovery: only what is implemented. No `sso-openid-connect` (no
 * id_token), no `launch-ehr` or patient context (`context-standalone-patient`): apps act
 * with the user's own `user/` scopes. Backend services may sign their assertions (`private_key_jwt`).
 */
function smartConfiguration(base: string) {
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'none',
    ],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    scopes_supported: [
      'system/*.cruds',
      'system/*.rs',
      'user/*.cruds',
      'user/*.rs',
      'offline_access',
      'online_access',
    ],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'client-confidential-asymmetric',
      'permission-v2',
      'permission-v1',
      'permission-user',
      'permission-offline',
      'permission-online',
    ],
  };
}
