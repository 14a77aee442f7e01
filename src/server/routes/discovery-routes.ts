import type { FastifyInstance } from 'fastify';
import { capabilityStatement } from '../capability-statement.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';

/** The two documents anyone may read without a token: CapabilityStatement and SMART discovery. */
export function registerDiscoveryRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const base = deps.config.baseUrl;
  const statement = capabilityStatement(base, { name: 'Throughline', version: '0.1.0' });
  app.get('/fhir/metadata', async (_request, reply) => reply.type(FHIR_JSON).send(statement));
  const smart = {
    issuer: base,
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    grant_types_supported: ['client_credentials'],
    scopes_supported: ['system/*.cruds', 'system/*.rs', 'user/*.cruds', 'user/*.rs'],
    response_types_supported: ['token'],
    capabilities: ['client-confidential-symmetric', 'permission-v2', 'permission-v1'],
  };
  for (const path of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
    app.get(path, async (_request, reply) => reply.send(smart));
  }
  app.get('/healthz', async () => ({ status: 'ok' }));
}
