import type { FastifyInstance } from 'fastify';
import { REVIEW_CODE, REVIEW_CODE_SYSTEM } from '../../identity/index.ts';
import { engagementWorklists } from './engagement-worklists.ts';
import {
  actOnTask,
  createFollowUp,
  journeyCohort,
  journeyWorklists,
  listWorklist,
  loadPersonRecord,
  planJourney,
  recomputeAll,
  recomputePerson,
  referralLoopReport,
  withFocusMessages,
  OPEN_TASK_STATUSES,
  WORKLIST_ACTIONS,
  type FollowUpRequest,
  type JourneyDeps,
  type WorklistAction,
  type WorklistDefinition,
} from '../../journey/index.ts';
import { actorOf, isStaffUserId, mayAssignWork, requireOperation } from '../../access/index.ts';
import { isThroughlineError, ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { personResolver } from '../resolve-person.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

type Query = Record<string, string | undefined>;

/** The journey engine's lists plus identity's review queue (composed here, not imported by either). */
const worklists: WorklistDefinition[] = [
  ...journeyWorklists,
  {
    name: 'possible-duplicates',
    title: 'Possible duplicate records',
    description: 'Pairs of patient records identity could not decide: link, merge or reject.',
    resourceType: 'Task',
    params: () => [
      ['code', `${REVIEW_CODE_SYSTEM}|${REVIEW_CODE}`],
      ['status', OPEN_TASK_STATUSES.join(',')],
    ],
  },
  ...engagementWorklists,
];

function worklistNamed(name: string): WorklistDefinition {
  const found = worklists.find((worklist) => worklist.name === name);
  if (!found) throw new ThroughlineError('NOT_FOUND', `No worklist "${name}"`, { expression: 'name' });
  return found;
}

const journeyDeps = (deps: ServerDeps, repository: FhirRepository): JourneyDeps => ({
  repository,
  catalog: deps.catalog,
  clock: deps.clock,
  personOf: personResolver(repository),
});

/**
 * Journeys, cohorts and worklists over HTTP. Everything runs on the caller's scoped store: a
 * front desk sees the lists and items its role may read, and every read is audited.
 */
export function registerJourneyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.get('/api/journeys', async () => deps.catalog.journeys.map(journeyOutline));
    // The signal rules' titles, so screens name a pain point or gap by its rule, not its code.
    routes.get('/api/signal-rules', async () =>
      deps.catalog.signals.map(({ id, kind, title }) => ({ id, kind, title })),
    );
    routes.get<{ Params: { id: string }; Querystring: Query }>(
      '/api/journeys/:id/cohort',
      async (request) => {
        const { from, to, clinic, channel, stage } = request.query;
        return journeyCohort(request.fhir, {
          catalog: deps.catalog,
          query: { journey: request.params.id, from, to, clinic, channel, stage },
          now: deps.clock.now(),
        });
      },
    );
    // A full recomputation is the nightly sweep on demand: heavy, so for administrators only.
    routes.post('/api/journeys/$recompute', async (request) => {
      requireOperation(
        request.principal,
        'recompute-journeys',
        'Recomputing every journey is for administrators',
      );
      return recomputeAll(journeyDeps(deps, request.fhir));
    });
    registerPatientJourneyRoutes(routes, deps);
    registerReferralRoutes(routes, deps);
    registerWorklistRoutes(routes, deps);
    registerFollowUpRoute(routes, deps);
  });
}

/** A follow-up set from the 360 page: a Task on the `follow-ups` worklist, as the caller. */
function registerFollowUpRoute(routes: FastifyInstance, deps: ServerDeps): void {
  routes.post<{ Body: Partial<FollowUpRequest> | undefined }>(
    '/api/worklists/follow-ups',
    async (request, reply) => {
      const body = request.body ?? {};
      const followUp = await createFollowUp(
        request.fhir,
        {
          patient: String(body.patient ?? ''),
          title: String(body.title ?? ''),
          note: typeof body.note === 'string' ? body.note : undefined,
          due: typeof body.due === 'string' && body.due !== '' ? body.due : undefined,
          priority: body.priority,
          requester: actorOf(request.principal),
        },
        deps.clock.now(),
      );
      return reply.code(201).send(followUp);
    },
  );
}

/** A journey as the journey map draws it: its stages, SLAs and expected actions. */
function journeyOutline({
  id,
  version,
  title,
  description,
  stages,
}: ServerDeps['catalog']['journeys'][number]) {
  return {
    id,
    version,
    title,
    description,
    stages: stages.map(({ code, display, slaDays, expectedActions }) => ({
      code,
      display,
      slaDays,
      expectedActions,
    })),
  };
}

function registerReferralRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  // The referral loop measure (issue 18): closure rate and median days per step, as the caller may see.
  routes.get<{ Querystring: Query }>('/api/referrals/loop', async (request) =>
    referralLoopReport(request.fhir, {
      from: request.query.from,
      to: request.query.to,
      now: deps.clock.now(),
    }),
  );
}

function registerPatientJourneyRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  // What the engine concludes now, without writing: stages, open gaps and pain points.
  routes.get<{ Params: { id: string } }>('/api/patients/:id/journey', async (request) => {
    const person = await personOrNotFound(request.fhir, request.params.id);
    const resources = await loadPersonRecord(request.fhir, person.recordIds);
    const plan = planJourney(deps.catalog, { personId: person.id, resources, now: deps.clock.now() });
    return {
      person: person.id,
      stages: plan.stages,
      signals: plan.signals.map(({ rule, focus }) => ({
        rule: rule.id,
        kind: rule.kind,
        title: rule.title,
        worklist: rule.worklist,
        focus,
      })),
    };
  });
  routes.post<{ Params: { id: string } }>('/api/patients/:id/journey/$recompute', async (request) => {
    const person = await personOrNotFound(request.fhir, request.params.id);
    const plan = await recomputePerson(journeyDeps(deps, request.fhir), person);
    return { person: person.id, stages: plan.stages, writes: plan.writes.length };
  });
}

async function personOrNotFound(repository: FhirRepository, id: string) {
  const person = await personResolver(repository)(resourceId(id));
  if (!person)
    throw new ThroughlineError('NOT_FOUND', `Patient/${id} is not a person (merged away or inactive)`);
  return person;
}

function registerWorklistRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/worklists', async (request) => {
    const now = deps.clock.now();
    const lists = [];
    for (const definition of worklists) {
      const list = await listWorklist(request.fhir, definition, { now, count: 0 });
      lists.push({ name: list.name, title: list.title, description: list.description, count: list.total });
    }
    return { worklists: lists };
  });
  // Each item with the patient's message it is about, read as the caller: what they may not see stays out.
  routes.get<{ Params: { name: string }; Querystring: Query }>('/api/worklists/:name', async (request) =>
    withFocusMessages(
      request.fhir,
      await listWorklist(request.fhir, worklistNamed(request.params.name), {
        now: deps.clock.now(),
        count: request.query._count ? Number(request.query._count) : undefined,
        offset: request.query._offset ? Number(request.query._offset) : undefined,
      }),
    ),
  );
  routes.post<{
    Params: { taskId: string; action: string };
    Body: { owner?: string; until?: string; note?: string } | undefined;
  }>('/api/worklists/tasks/:taskId/:action', async (request) => {
    const action = worklistActionOf(request.params.action);
    const body = request.body ?? {};
    const fhir = request.fhir;
    return actOnTask(fhir, {
      taskId: resourceId(request.params.taskId),
      action,
      input: {
        ...body,
        actor: request.principal,
        mayReassign: mayAssignWork(request.principal),
        ownerExists: (owner) => ownerExists(deps, fhir, owner),
      },
      now: deps.clock.now(),
    });
  });
}

function worklistActionOf(name: string): WorklistAction {
  const action = name as WorklistAction;
  if (!WORKLIST_ACTIONS.includes(action))
    throw new ThroughlineError(
      'INVALID_REQUEST',
      `Unknown action "${action}": one of ${WORKLIST_ACTIONS.join(', ')}`,
      { expression: 'action' },
    );
  return action;
}

/** `Practitioner/<id>` that the caller can read, or the id of a staff account. */
async function ownerExists(deps: ServerDeps, fhir: FhirRepository, owner: string): Promise<boolean> {
  if (!owner.startsWith('Practitioner/')) return isStaffUserId(deps.db, owner);
  try {
    await fhir.read('Practitioner', owner.slice('Practitioner/'.length));
    return true;
  } catch (error) {
    if (isThroughlineError(error) && ['NOT_FOUND', 'GONE', 'FORBIDDEN'].includes(error.code)) return false;
    throw error;
  }
}
