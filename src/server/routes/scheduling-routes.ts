import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Appointment, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import {
  checkIn,
  frontDeskToday,
  markNoShow,
  bookAppointment,
  cancelAppointment,
  confirmHold,
  DEFAULT_HOLD_MINUTES,
  findAppointments,
  rescheduleAppointment,
  serviceChoices,
  type FindRequest,
  type SchedulingDeps,
} from '../../scheduling/index.ts';
import { openWorkFor } from '../../journey/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { queryPairs, resourceId } from './fhir-request.ts';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const schedulingDeps = (deps: ServerDeps, request: FastifyRequest): SchedulingDeps => ({
  repository: request.fhir,
  clock: deps.clock,
  timeZone: deps.config.clinicTimeZone,
});

const send = (reply: FastifyReply, body: unknown) => reply.type(FHIR_JSON).send(body);

/** The input Parameters of an operation (400 naming the path when the body is not one). */
function parametersOf(request: FastifyRequest): ParametersParameter[] {
  const body = request.body as Parameters | undefined;
  if (body?.resourceType !== 'Parameters')
    throw new ThroughlineError('INVALID_REQUEST', 'The body must be a Parameters resource', {
      expression: 'resourceType',
    });
  return body.parameter ?? [];
}

const named = (parameters: ParametersParameter[], name: string) =>
  parameters.find((each) => each.name === name);

function stringOf(parameter: ParametersParameter | undefined): string | undefined {
  if (!parameter) return undefined;
  return (
    parameter.valueString ??
    parameter.valueDateTime ??
    parameter.valueInstant ??
    parameter.valueDate ??
    parameter.valueCode ??
    parameter.valueInteger?.toString() ??
    parameter.valueReference?.reference ??
    (parameter.valueCoding
      ? `${parameter.valueCoding.system ?? ''}|${parameter.valueCoding.code ?? ''}`
      : undefined)
  );
}

/** `$find`'s inputs from a query string's pairs (GET) or a Parameters' (POST). */
function findRequestOf(pairs: [string, string | undefined][]): FindRequest {
  const value = (name: string) => pairs.find(([key]) => key === name)?.[1];
  const count = value('_count');
  if (count !== undefined && !/^\d{1,4}$/.test(count))
    throw new ThroughlineError('INVALID_REQUEST', '_count must be a whole number', { expression: '_count' });
  const reference = (name: string, type: string) => {
    const raw = value(name);
    return raw === undefined || raw.includes('/') ? raw : `${type}/${raw}`;
  };
  return {
    start: value('start'),
    end: value('end'),
    serviceType: value('service-type'),
    practitioner: reference('practitioner', 'Practitioner'),
    location: reference('location', 'Location'),
    patient: reference('patient', 'Patient'),
    count: count === undefined ? undefined : Number(count),
  };
}

const appointmentOf = (parameters: ParametersParameter[]) =>
  named(parameters, 'appointment')?.resource as Appointment | undefined;

/**
 * Scheduling over HTTP, after IHE Scheduling: `Appointment/$find`, `$book`, `$hold`, and per
 * Appointment `$cancel` and `$reschedule`. Every read and write runs on the caller's scoped
 * store (role policy, consent, audit).
 */
export function registerSchedulingRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.get('/fhir/Appointment/$find', async (request, reply) =>
      send(reply, await findAppointments(schedulingDeps(deps, request), findRequestOf(queryPairs(request)))),
    );
    routes.post('/fhir/Appointment/$find', async (request, reply) => {
      const pairs = parametersOf(request).map((each): [string, string | undefined] => [
        each.name ?? '',
        stringOf(each),
      ]);
      return send(reply, await findAppointments(schedulingDeps(deps, request), findRequestOf(pairs)));
    });
    registerBookingRoutes(routes, deps);
    registerTodayRoutes(routes, deps);
  });
}

/** The front desk's day: the board, check-in and no-show; the visit types to book by. */
function registerTodayRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  // The booking dialog's filters: each visit type with its length, practitioners and locations,
  // read from the Schedules the caller may see.
  routes.get('/api/scheduling/visit-types', async (request) => ({
    visitTypes: await serviceChoices(schedulingDeps(deps, request)),
  }));
  routes.get<{ Querystring: { location?: string; date?: string } }>(
    '/api/scheduling/today',
    async (request) => {
      const { location, date } = request.query;
      if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))
        throw new ThroughlineError('INVALID_REQUEST', 'date must be YYYY-MM-DD', { expression: 'date' });
      const items = await frontDeskToday(schedulingDeps(deps, request), { location, date });
      // What each patient coming in still has open (care gaps, referrals, messages), as the
      // caller may see it: the visit is the moment to close it.
      const work = await openWorkFor(
        request.fhir,
        items.flatMap((item) => item.patient ?? []),
      );
      return { items: items.map((item) => ({ ...item, openWork: work.get(item.patient ?? '') ?? [] })) };
    },
  );
  routes.post<{ Params: { id: string } }>(
    '/api/scheduling/appointments/:id/check-in',
    async (request: IdRequest, reply) =>
      send(reply.code(201), await checkIn(schedulingDeps(deps, request), resourceId(request.params.id))),
  );
  routes.post<{ Params: { id: string } }>(
    '/api/scheduling/appointments/:id/no-show',
    async (request: IdRequest, reply) =>
      send(reply, await markNoShow(schedulingDeps(deps, request), resourceId(request.params.id))),
  );
}

function registerBookingRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  routes.post('/fhir/Appointment/$book', async (request, reply) => {
    const appointment = appointmentOf(parametersOf(request));
    const ctx = schedulingDeps(deps, request);
    const booked =
      appointment?.id && appointment.status === 'pending'
        ? await confirmHold(ctx, resourceId(appointment.id))
        : await bookAppointment(ctx, { appointment });
    return send(reply.code(201), booked);
  });
  routes.post('/fhir/Appointment/$hold', async (request, reply) => {
    const parameters = parametersOf(request);
    const ctx = schedulingDeps(deps, request);
    const holdUntil = holdUntilOf(ctx, stringOf(named(parameters, 'expires')));
    return send(
      reply.code(201),
      await bookAppointment(ctx, { appointment: appointmentOf(parameters), holdUntil }),
    );
  });
  registerChangeRoutes(routes, deps);
}

/** `expires` of `$hold`, or the default hold from now. */
function holdUntilOf(ctx: SchedulingDeps, expires: string | undefined): string {
  if (expires !== undefined && Number.isNaN(Date.parse(expires)))
    throw new ThroughlineError('INVALID_REQUEST', 'expires must be an instant', {
      expression: 'Parameters.expires',
    });
  return expires ?? new Date(ctx.clock.now().getTime() + DEFAULT_HOLD_MINUTES * 60_000).toISOString();
}

/** `$cancel` and `$reschedule` of one Appointment. */
function registerChangeRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  routes.post<{ Params: { id: string } }>(
    '/fhir/Appointment/:id/$cancel',
    async (request: IdRequest, reply) => {
      const reason = request.body ? stringOf(named(parametersOf(request), 'reason')) : undefined;
      const id = resourceId(request.params.id);
      return send(reply, await cancelAppointment(schedulingDeps(deps, request), { id, reason }));
    },
  );
  routes.post<{ Params: { id: string } }>(
    '/fhir/Appointment/:id/$reschedule',
    async (request: IdRequest, reply) => {
      const appointment = appointmentOf(parametersOf(request));
      const id = resourceId(request.params.id);
      return send(
        reply.code(201),
        await rescheduleAppointment(schedulingDeps(deps, request), { id, appointment }),
      );
    },
  );
}
