import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Bundle, PlanDefinition } from '@medplum/fhirtypes';
import { requireOperation } from '../../access/index.ts';
import { dryRunRule, listRuns, RULE_TYPE_TOKEN, saveRule, withPatientNames } from '../../automation/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { automationFor } from '../automation-service.ts';
import { authenticate } from './auth-hook.ts';

type Query = Record<string, string | undefined>;
type WithId = { Params: { id: string } };

function assertMay(request: FastifyRequest): void {
  requireOperation(request.principal, 'automation-rules', 'Your role is not granted automation-rules');
}

function planOf(body: unknown, id?: string): PlanDefinition {
  if (
    !body ||
    typeof body !== 'object' ||
    (body as { resourceType?: unknown }).resourceType !== 'PlanDefinition'
  )
    throw new ThroughlineError('INVALID_RESOURCE', 'a rule is a PlanDefinition', {
      expression: 'resourceType',
    });
  return { ...(body as PlanDefinition), ...(id ? { id } : {}) };
}

function ruleId(id: string): string {
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id))
    throw new ThroughlineError('INVALID_REQUEST', 'not a rule id', { expression: 'id' });
  return id;
}

function numberIn(value: string | undefined, range: { min: number; max: number; fallback: number }): number {
  const n = Number(value ?? range.fallback);
  return Number.isFinite(n) ? Math.min(Math.max(n, range.min), range.max) : range.fallback;
}

/**
 * Automation rules over HTTP (issue 17), through the checkpoint: rules are PlanDefinitions the
 * caller writes with their own access, checked on write; dry runs read what the caller may
 * read; runs are listed per rule and per patient.
 */
export function registerAutomationRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.addHook('preHandler', async (request) => assertMay(request));
    routes.get('/api/automation/rules', async (request) => {
      const bundle: Bundle = await request.fhir.search({
        resourceType: 'PlanDefinition',
        params: [
          ['type', RULE_TYPE_TOKEN],
          ['_count', '500'],
        ],
      });
      // The clinic's zone, so the page tells times as the clinic's clock does, wherever it is opened.
      return {
        rules: (bundle.entry ?? []).map((entry) => entry.resource),
        timeZone: deps.config.clinicTimeZone,
      };
    });
    routes.post('/api/automation/rules', async (request, reply) =>
      reply.code(201).send((await saveRule(request.fhir, planOf(request.body))).resource),
    );
    routes.get<WithId>('/api/automation/rules/:id', async (request) =>
      request.fhir.read('PlanDefinition', ruleId(request.params.id)),
    );
    routes.put<WithId>('/api/automation/rules/:id', async (request) => {
      const id = ruleId(request.params.id);
      return (await saveRule(request.fhir, planOf(request.body, id))).resource;
    });
    registerDryRuns(routes, deps);
    registerRuns(routes);
  });
}

/**
 * The run log, per rule and per patient; each run names its patient (`patientName`) when the
 * caller may see that Patient — read through the caller's checkpoint, like the runs.
 */
function registerRuns(routes: FastifyInstance): void {
  routes.get<WithId & { Querystring: Query }>('/api/automation/rules/:id/runs', async (request) => ({
    runs: await withPatientNames(
      request.fhir,
      await listRuns(request.fhir, {
        rule: ruleId(request.params.id),
        count: numberIn(request.query._count, { min: 1, max: 500, fallback: 50 }),
      }),
    ),
  }));
  routes.get<{ Querystring: Query }>('/api/automation/runs', async (request) => {
    const patient = request.query.patient;
    if (!patient || !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(patient))
      throw new ThroughlineError('INVALID_REQUEST', 'patient must be Patient/{id}', {
        expression: 'patient',
      });
    const count = numberIn(request.query._count, { min: 1, max: 500, fallback: 50 });
    return { runs: await withPatientNames(request.fhir, await listRuns(request.fhir, { patient, count })) };
  });
}

/**
 * `$dry-run` of a posted rule (new or changed) or of a stored one, over the last `days` days;
 * each item names its patient as the runs do (`patientName`, when the caller may see them).
 */
function registerDryRuns(routes: FastifyInstance, deps: ServerDeps): void {
  const run = async (request: FastifyRequest<{ Querystring: Query }>, plan: PlanDefinition) => {
    const report = await dryRunRule(
      automationFor({
        repository: request.fhir,
        db: deps.db,
        clock: deps.clock,
        timeZone: deps.config.clinicTimeZone,
        ...(deps.config.automationExtractDir ? { extractRoot: deps.config.automationExtractDir } : {}),
      }),
      {
        plan,
        days: numberIn(request.query.days, { min: 1, max: 365, fallback: 30 }),
      },
    );
    const named = await withPatientNames(request.fhir, [...report.wouldAct, ...report.stopped]);
    return {
      ...report,
      wouldAct: named.slice(0, report.wouldAct.length),
      stopped: named.slice(report.wouldAct.length),
    };
  };
  routes.post<{ Querystring: Query }>('/api/automation/rules/$dry-run', async (request) =>
    run(request, planOf(request.body)),
  );
  routes.post<WithId & { Querystring: Query }>('/api/automation/rules/:id/$dry-run', async (request) =>
    run(request, await request.fhir.read<PlanDefinition>('PlanDefinition', ruleId(request.params.id))),
  );
}
