import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Group } from '@medplum/fhirtypes';
import { requireOperation } from '../../access/index.ts';
import {
  CAMPAIGN_SYSTEM,
  ENGAGEMENT_SYSTEM,
  campaignReport,
  launchCampaign,
  previewCampaign,
} from '../../engagement/index.ts';
import { searchAll } from '../../store/index.ts';
import { campaignLaunchOf } from '../campaign-request.ts';
import { callerDecisionDeps } from '../engagement-service.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

function mayRunCampaigns(request: FastifyRequest): void {
  requireOperation(
    request.principal,
    'engagement-campaigns',
    'Your role is not granted engagement-campaigns',
  );
}

/**
 * Outreach campaigns (issue 16): preview who would get what and why not, launch (one throttled
 * request per person, written as the caller), list, and report. Everything reads and writes
 * through the caller's scoped store; the engine checks consent again when each message goes.
 */
export function registerCampaignRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.addHook('preHandler', async (request) => mayRunCampaigns(request));
    const launchOf = (request: FastifyRequest) => {
      const decisions = callerDecisionDeps(request.fhir, deps.config);
      return {
        decisions,
        launch: campaignLaunchOf(request, {
          now: deps.clock.now(),
          personOf: decisions.personOf,
          catalog: deps.catalog,
        }),
      };
    };
    routes.post('/api/engagement/campaigns/preview', async (request) => {
      const { decisions, launch } = launchOf(request);
      return previewCampaign(decisions, await launch);
    });
    routes.post('/api/engagement/campaigns', async (request, reply) => {
      const launched = await launchCampaign(request.fhir, await launchOf(request).launch);
      return reply.code(201).send({ ...launched, report: `/api/engagement/campaigns/${launched.id}` });
    });
    routes.get('/api/engagement/campaigns', async (request) => ({
      campaigns: (
        await searchAll<Group>(request.fhir, {
          resourceType: 'Group',
          params: [['code', `${ENGAGEMENT_SYSTEM}|campaign`]],
        })
      ).map(outlineOf),
    }));
    routes.get('/api/engagement/campaign-cohorts', async () => cohortChoices(deps.catalog));
    routes.get<{ Params: { id: string } }>('/api/engagement/campaigns/:id', async (request) =>
      campaignReport(request.fhir, { id: resourceId(request.params.id), now: deps.clock.now() }),
    );
  });
}

function outlineOf(group: Group) {
  return {
    id: group.identifier?.find((identifier) => identifier.system === CAMPAIGN_SYSTEM)?.value,
    name: group.name,
    people: group.quantity,
    created: group.meta?.lastUpdated,
  };
}

/** What a cohort may be chosen by, besides a FHIR search: the journeys' stages and the care gaps. */
function cohortChoices(catalog: ServerDeps['catalog']) {
  return {
    journeys: catalog.journeys.map(({ id, title, stages }) => ({
      id,
      title,
      stages: stages.map(({ code, display }) => ({ code, display })),
    })),
    careGaps: catalog.signals
      .filter((rule) => rule.kind === 'care-gap')
      .map(({ id, title }) => ({ id, title })),
  };
}
