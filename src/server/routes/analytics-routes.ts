import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { recordAudit, requireOperation } from '../../access/index.ts';
import {
  bucketOf,
  bucketWindow,
  cohortRecords,
  evaluateMeasure,
  kpisFromFacts,
  measureFromFacts,
  parseKpiFilters,
  parseMeasurePeriod,
  parseWindow,
  patientsFromFacts,
} from '../../analytics/index.ts';
import { catchUpKpiFacts } from '../analytics-service.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { searchedPatients } from '../campaign-cohort.ts';
import type { ServerDeps } from '../server-deps.ts';
import { FHIR_JSON } from '../http-errors.ts';
import { authenticate } from './auth-hook.ts';

type Query = Record<string, string | undefined>;

/** Patients shown by one drill-down: the figure may count more (`total` says how many). */
const maxPatientsShown = 200;

/**
 * The practice KPIs (issue 21). Figures are sums over the facts the analytics service keeps of
 * every record (read through its own scoped store as the records change) — a count must not
 * change with who asks — and the request is audited under the caller; the patients behind a
 * figure are read through the caller's own scoped store, so a drill-down shows only whom the
 * caller may see.
 */
export function registerAnalyticsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.get<{ Querystring: Query }>('/api/analytics/kpis', async (request) => {
      mayReadKpis(request);
      const window = parseWindow(request.query, deps.clock.now());
      const filters = parseKpiFilters(request.query);
      const now = deps.clock.now();
      await catchUpKpiFacts(deps);
      const cohort = await cohortOf(deps, request, filters.cohort);
      const kpis = await kpisFromFacts(deps.db, { window, now, filters, cohort });
      await audited(deps, request, { action: 'kpi-read', patients: [] });
      return { ...window, filters, generatedAt: now.toISOString(), kpis };
    });
    registerDrillDown(routes, deps);
    registerEvaluateMeasure(routes, deps);
  });
}

/**
 * FHIR `Measure/{kpi}/$evaluate-measure?periodStart&periodEnd`: a KPI as a summary
 * MeasureReport, for quality tools (same operation as the KPIs).
 */
function registerEvaluateMeasure(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get<{ Params: { id: string }; Querystring: Query }>(
    '/fhir/Measure/:id/$evaluate-measure',
    async (request, reply) => {
      mayReadKpis(request);
      const period = parseMeasurePeriod(request.query);
      // The same bounds on a period's length as the KPIs' (a 400 naming it).
      parseWindow({ period: 'month', from: period.periodStart, to: period.periodEnd }, deps.clock.now());
      const now = deps.clock.now();
      await catchUpKpiFacts(deps);
      const measured = await measureFromFacts(deps.db, { kpi: request.params.id, period, now });
      const fhirBase = `${deps.config.baseUrl}/fhir`;
      const report = evaluateMeasure({ ...measured, period, fhirBase, now });
      await audited(deps, request, { action: 'kpi-read', patients: [] });
      return reply.type(FHIR_JSON).send(report);
    },
  );
}

/** The patients behind one figure, read as the caller. */
function registerDrillDown(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get<{ Params: { id: string }; Querystring: Query }>(
    '/api/analytics/kpis/:id/patients',
    async (request) => {
      mayReadKpis(request);
      const { set = 'numerator', group } = request.query;
      if (set !== 'numerator' && set !== 'denominator')
        throw new ThroughlineError('INVALID_REQUEST', 'set must be numerator or denominator', {
          expression: 'set',
        });
      const window = bucketWindow(request.query, deps.clock.now());
      const bucket = bucketOf(window.from, window.period).key;
      const filters = parseKpiFilters(request.query);
      await catchUpKpiFacts(deps);
      const cohort = await cohortOf(deps, request, filters.cohort);
      const ids = await patientsFromFacts(deps.db, {
        kpi: request.params.id,
        ...{ window, now: deps.clock.now(), filters, cohort },
        ...{ set, group },
      });
      const patients = await visiblePatients(request, ids.slice(0, maxPatientsShown));
      return { kpi: request.params.id, bucket, set, group: group ?? null, total: ids.length, patients };
    },
  );
}

/**
 * A cohort's records, its Group read as the caller (a Group they may not read is refused); a
 * saved search in it runs as the caller too, so it finds only patients they may see.
 */
function cohortOf(deps: ServerDeps, request: FastifyRequest, group: string | undefined) {
  if (group === undefined) return Promise.resolve(undefined);
  const searchPatients = (search: string, options: { limit: number }) =>
    searchedPatients(request.fhir, search, options);
  return cohortRecords({ repository: request.fhir, db: deps.db, searchPatients }, group);
}

function mayReadKpis(request: FastifyRequest): void {
  requireOperation(request.principal, 'analytics-kpis', 'KPIs are for the practice manager and admins');
}

function audited(deps: ServerDeps, request: FastifyRequest, entry: { action: string; patients: string[] }) {
  const caller = {
    principal: request.principal,
    context: { requestId: request.id, remoteAddress: request.ip },
  };
  return recordAudit(deps.db, caller, { ...entry, outcome: 'success' });
}

/** The patients the caller may see, by id, 100 at a time (the store's limit of values per parameter). */
async function visiblePatients(request: FastifyRequest, ids: string[]) {
  const shown: { id: string; name?: string; birthDate?: string }[] = [];
  for (let at = 0; at < ids.length; at += 100) {
    const params: [string, string][] = [
      ['_id', ids.slice(at, at + 100).join(',')],
      ['_count', '100'],
    ];
    const bundle: Bundle = await request.fhir.search({ resourceType: 'Patient', params });
    for (const entry of bundle.entry ?? []) {
      const patient = entry.resource as Patient;
      const name = patient.name?.[0];
      const display = name ? [...(name.given ?? []), name.family].filter(Boolean).join(' ') : undefined;
      shown.push({ id: patient.id!, name: display, birthDate: patient.birthDate });
    }
  }
  return shown;
}
