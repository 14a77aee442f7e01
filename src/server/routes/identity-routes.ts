import type { FastifyInstance } from 'fastify';
import type { Parameters, ParametersParameter, Patient } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import {
  identityKpis,
  matchPatient,
  explainMatch,
  type Candidate,
  decideReview,
  linkRecords,
  listReviewQueue,
  mergePatients,
  unlinkRecord,
  unmergePatients,
  type ReviewDecision,
  type MergeResult,
  type UnmergeResult,
  trainModel,
} from '../../identity/index.ts';
import { listModelVersions } from '../../store/index.ts';
import { actorOf, isStaffPrincipal, mayOperateIdentityModel, scopesAllow } from '../../access/index.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';

/**
 * Identity operations: `Patient/$merge` (FHIR's merge operation: source-patient,
 * target-patient, preview), `Patient/$unmerge`, linking records as one person, and the review
 * queue of possible duplicates. All through the caller-scoped store, so they are checked and
 * audited like any write.
 */
export function registerIdentityRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    registerMergeRoutes(routes, deps);
    registerMatchRoute(routes, deps);
    registerLinkRoutes(routes);
    registerModelRoutes(routes, deps);
    registerReviewRoutes(routes, deps);
  });
}

/** `Patient/$merge` and `Patient/$unmerge`. */
function registerMergeRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  routes.post('/fhir/Patient/$merge', async (request, reply) => {
    const input = parametersOf(request.body);
    const result = await mergePatients(request.fhir, {
      sourceId: patientId(input, 'source-patient'),
      targetId: patientId(input, 'target-patient'),
      preview: input.find((p) => p.name === 'preview')?.valueBoolean ?? false,
      // Who merged comes from the token; a request header may add nothing to it.
      performedBy: actorOf(request.principal),
      now: () => deps.clock.now(),
    });
    return reply.type(FHIR_JSON).send(mergeOutput(result));
  });
  routes.post('/fhir/Patient/$unmerge', async (request, reply) => {
    const result = await unmergePatients(request.fhir, {
      performedBy: actorOf(request.principal),
      now: () => deps.clock.now(),
      sourceId: patientId(parametersOf(request.body), 'source-patient'),
    });
    return reply.type(FHIR_JSON).send(unmergeOutput(result));
  });
}

/** `$merge` output: the outcome, the target and source as they are now, and every moved reference. */
function mergeOutput(result: MergeResult): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'outcome', valueString: result.outcome },
      { name: 'result', resource: result.target },
      { name: 'source', resource: result.source },
      ...result.moved.map((reference) => ({ name: 'moved', valueReference: { reference } })),
    ],
  };
}

function unmergeOutput(result: UnmergeResult): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'source', resource: result.source },
      { name: 'target', resource: result.target },
      ...result.restored.map((reference) => ({ name: 'restored', valueReference: { reference } })),
    ],
  };
}

/** `Patient/$match`: candidates for a Patient, or (with `candidate`) the grading of one pair. */
function registerMatchRoute(routes: FastifyInstance, deps: ServerDeps): void {
  routes.post('/fhir/Patient/$match', async (request, reply) => {
    const input = parametersOf(request.body);
    const patient = matchInputPatient(input);
    const onlyCertain = input.find((p) => p.name === 'onlyCertainMatches')?.valueBoolean ?? false;
    const count = matchCount(input);
    const identity = { repository: request.fhir, db: deps.db, engine: deps.engine };
    // Throughline's `candidate` (a Patient reference) asks to explain one pair, graded whatever it is.
    const explain = input.some((p) => p.name === 'candidate');
    const candidates = explain
      ? [await explainMatch(identity, patient, patientId(input, 'candidate'))]
      : await matchPatient(identity, patient, { count, onlyCertain });
    return reply.type(FHIR_JSON).send(matchBundle(candidates, `${deps.config.baseUrl}/fhir`));
  });
}

function matchInputPatient(input: ParametersParameter[]): Patient {
  const patient = input.find((p) => p.name === 'resource')?.resource;
  if (patient?.resourceType !== 'Patient') {
    throw new ThroughlineError('INVALID_REQUEST', 'Parameter "resource" must be a Patient', {
      expression: "Parameters.parameter.where(name='resource')",
    });
  }
  return patient as Patient;
}

function matchCount(input: ParametersParameter[]): number {
  const count = input.find((p) => p.name === 'count')?.valueInteger ?? 10;
  if (!Number.isInteger(count) || count < 1 || count > MAX_MATCH_COUNT)
    throw new ThroughlineError('INVALID_REQUEST', `count must be an integer from 1 to ${MAX_MATCH_COUNT}`, {
      expression: "Parameters.parameter.where(name='count')",
    });
  return count;
}

/** Linking records as one person, and unlinking one. */
function registerLinkRoutes(routes: FastifyInstance): void {
  routes.post('/api/identity/link', async (request) => {
    const ids = (request.body as { recordIds?: unknown } | undefined)?.recordIds;
    if (!Array.isArray(ids) || ids.length < 2 || !ids.every((id) => typeof id === 'string')) {
      throw new ThroughlineError('INVALID_REQUEST', 'recordIds: at least two Patient ids', {
        expression: 'recordIds',
      });
    }
    return linkRecords(request.fhir, ids as string[]);
  });
  routes.post<{ Params: { id: string } }>('/api/identity/records/:id/unlink', async (request) => ({
    golden: await unlinkRecord(request.fhir, request.params.id),
  }));
}

/** The match model: its versions, and training a new one. */
function registerModelRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  // Model info (versions, metrics, what it was trained on) is for staff, not patients.
  routes.get('/api/identity/model', async (request) => {
    if (!isStaffPrincipal(request.principal))
      throw new ThroughlineError('FORBIDDEN', 'The match model is for staff');
    return { versions: await listModelVersions(deps.db) };
  });
  routes.post('/api/identity/model/$train', async (request) => {
    // Training activates a model that decides how every Patient is linked: the admin or
    // integration role decides (not a scope every clinician holds), and the token must still
    // allow Patient updates (scopes narrow).
    const principal = request.principal;
    if (!mayOperateIdentityModel(principal) || !scopesAllow(principal.scopes, 'Patient', 'u'))
      throw new ThroughlineError(
        'FORBIDDEN',
        'Training the match model needs the admin or integration role and Patient update access',
      );
    return trainModel({ repository: request.fhir, db: deps.db, engine: deps.engine });
  });
}

/** Identity KPIs and the review queue of possible duplicates, with its decisions. */
function registerReviewRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/identity/kpis', async (request) => identityKpis(request.fhir, deps.clock.now()));
  routes.get('/api/identity/review', async (request) => ({
    items: await listReviewQueue(request.fhir, {
      includeDeferred: (request.query as { deferred?: string }).deferred === 'true',
    }),
  }));
  routes.post<{ Params: { id: string } }>('/api/identity/review/:id/decision', async (request) => {
    const decision = (request.body as { decision?: string } | undefined)?.decision;
    if (!['link', 'merge', 'reject', 'defer'].includes(decision ?? '')) {
      throw new ThroughlineError('INVALID_REQUEST', 'decision must be link, merge, reject or defer', {
        expression: 'decision',
      });
    }
    return {
      task: await decideReview(request.fhir, {
        taskId: request.params.id,
        decision: decision as ReviewDecision,
        by: actorOf(request.principal),
        now: deps.clock.now(),
      }),
    };
  });
}

function parametersOf(body: unknown): ParametersParameter[] {
  const parameters = body as Parameters | undefined;
  if (parameters?.resourceType !== 'Parameters')
    throw new ThroughlineError('INVALID_REQUEST', 'Expected a Parameters resource', {
      expression: 'resourceType',
    });
  return parameters.parameter ?? [];
}

function patientId(input: ParametersParameter[], name: string): string {
  const reference = input.find((parameter) => parameter.name === name)?.valueReference?.reference;
  const match = reference ? /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(reference) : null;
  if (!match)
    throw new ThroughlineError('INVALID_REQUEST', `${name} must be a reference to a Patient (Patient/{id})`, {
      expression: `Parameters.parameter.where(name='${name}')`,
    });
  return match[1]!;
}

const MATCH_GRADE = 'http://hl7.org/fhir/StructureDefinition/match-grade';
const EXPLANATION = 'https://throughline.dev/fhir/StructureDefinition/match-explanation';
const MAX_MATCH_COUNT = 100;

/**
 * `$match` output: a searchset whose `search.score` is the probability (0–1) that the record is
 * the same person, the match grade (certain / probable / possible / certainly-not), and the
 * per-field reasons.
 */
function matchBundle(candidates: Candidate[], base: string) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: candidates.length,
    entry: candidates.map(({ patient, outcome, grade }) => ({
      fullUrl: `${base}/Patient/${patient.id}`,
      resource: patient,
      search: {
        mode: 'match',
        score: Math.round(outcome.probability * 10000) / 10000,
        extension: [
          { url: MATCH_GRADE, valueCode: grade },
          { url: EXPLANATION, valueString: JSON.stringify(outcome.explanation) },
        ],
      },
    })),
  };
}
