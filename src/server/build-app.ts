import fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { registerBodyParsers } from './body-parsers.ts';
import { registerNulGuard } from './reject-nul.ts';
import { registerInteractiveTracking } from './track-interactive.ts';
import { registerBundleLimits } from './routes/bundle-limits.ts';
import { registerBundleShapeCheck } from './check-bundle-shape.ts';
import { registerFhirBodyChecks } from './check-fhir-body.ts';
import { registerSecurityHeaders, serverTimeouts } from './http-hygiene.ts';
import { errorHandler } from './http-errors.ts';
import { registerWebApp } from './web-app.ts';
import { registerAuditRoutes } from './routes/audit-routes.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerDiscoveryRoutes } from './routes/discovery-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerFhirRoutes } from './routes/fhir-routes.ts';
import { registerFhirAuditRoutes } from './routes/fhir-audit-routes.ts';
import type { ServerDeps } from './server-deps.ts';
import type { Hl7v2Deps } from '../ingest/index.ts';
import { registerHl7v2Routes } from './routes/hl7v2-routes.ts';
import { registerIntegrationConsoleRoutes } from './routes/integration-console-routes.ts';
import { registerIdentityRoutes } from './routes/identity-routes.ts';
import { registerPatientViewRoutes } from './routes/patient-view-routes.ts';
import { registerJourneyRoutes } from './routes/journey-routes.ts';
import { registerAccessRoutes } from './routes/access-routes.ts';
import { registerPrivacyRoutes } from './routes/privacy-routes.ts';
import { registerEngagementRoutes } from './routes/engagement-routes.ts';
import { registerEngagementWebhooks } from './routes/engagement-webhooks.ts';
import { registerCampaignRoutes } from './routes/campaign-routes.ts';
import { registerSchedulingRoutes } from './routes/scheduling-routes.ts';
import { registerPortalRoutes } from './routes/portal-routes.ts';
import { registerCorrectionAnswerRoutes } from './routes/correction-answer-routes.ts';
import { registerResultReviewRoutes } from './routes/result-review-routes.ts';
import { registerAutomationRoutes } from './routes/automation-routes.ts';
import { registerAnalyticsRoutes } from './routes/analytics-routes.ts';

/** The route groups, in registration order (the FHIR routes last of the API: their paths are the widest). */
const ROUTE_GROUPS: ((app: FastifyInstance, deps: ServerDeps) => void)[] = [
  registerDiscoveryRoutes,
  registerHealthRoutes,
  registerAuthRoutes,
  registerIdentityRoutes,
  registerPatientViewRoutes,
  registerJourneyRoutes,
  registerAccessRoutes,
  registerPrivacyRoutes,
  registerEngagementRoutes,
  registerCampaignRoutes,
  registerEngagementWebhooks,
  registerAuditRoutes,
  registerFhirAuditRoutes,
  registerSchedulingRoutes,
  registerPortalRoutes,
  registerCorrectionAnswerRoutes,
  registerResultReviewRoutes,
  registerAutomationRoutes,
  registerAnalyticsRoutes,
  registerFhirRoutes,
];

/** The HTTP application: parsers, error translation, and the route groups. */
export function buildApp(deps: ServerDeps, hl7: Hl7v2Deps): FastifyInstance {
  const app = fastify({
    bodyLimit: deps.config.maxBodyBytes,
    genReqId: () => randomUUID(),
    // Keep the first route match strict; FHIR ids never end in '/'.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    logger: false,
    // The router's own errors (over-long or badly encoded path) get the OperationOutcome too.
    frameworkErrors: errorHandler(deps.logger),
    ...serverTimeouts(deps.config),
  });
  registerInteractiveTracking(app);
  registerBodyParsers(app, { maxJsonDepth: deps.config.maxJsonDepth });
  registerNulGuard(app);
  registerSecurityHeaders(app, deps.config);
  registerBundleLimits(app, deps.config.maxBundleEntries);
  registerBundleShapeCheck(app);
  registerFhirBodyChecks(app);
  // The request id is the audit record's key: callers (and the audit-coverage check of the
  // integration tests) can find the record of any response.
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(errorHandler(deps.logger));
  app.decorateRequest('fhir', null as never);
  app.decorateRequest('principal', null as never);
  for (const register of ROUTE_GROUPS) register(app, deps);
  registerHl7v2Routes(app, deps, hl7);
  registerIntegrationConsoleRoutes(app, deps, hl7);
  // Last: the staff web app answers only what no API route does.
  registerWebApp(app);
  return app;
}
