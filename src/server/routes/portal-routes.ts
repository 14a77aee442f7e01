import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readOwnAccessReport } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import {
  bookForPatient,
  cancelForPatient,
  confirmForPatient,
  freeTimesFor,
  rescheduleForPatient,
  type ChosenTime,
  type PortalBookingDeps,
} from '../portal-booking.ts';
import { choiceOf } from '../../engagement/index.ts';
import { consentStatesFor, recordConsentChoice, type PortalConsentDeps } from '../portal-consent.ts';
import { FHIR_JSON } from '../http-errors.ts';
import { compartmentIds, resolvePerson } from '../resolve-person.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { audited, checkProxyNeeds, contextOf, patientOf, serviceStore } from './portal-caller.ts';
import { registerPortalProxies } from './portal-proxy-routes.ts';
import { registerPortalForms } from './portal-form-routes.ts';
import { registerPortalWaitlist } from './portal-waitlist-routes.ts';
import { registerPortalQuietHours } from './portal-quiet-hours-routes.ts';
import { registerPortalCorrections } from './portal-correction-routes.ts';
import { registerPortalExport } from './portal-export-routes.ts';
import { resourceId } from './fhir-request.ts';

/**
 * The patient portal's own routes (issue 20): what a patient does that her own FHIR store
 * cannot (booking needs the clinic's Schedules; the access report reads the audit log). Only
 * patient accounts (a patient context in the token) reach them, always for that patient;
 * each is audited under her, whatever service store did the work.
 */
export function registerPortalRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.addHook('preHandler', async (request) => void patientOf(request));
    routes.addHook('preHandler', async (request) => checkProxyNeeds(request));
    registerPortalProxies(routes, deps);
    registerPortalBooking(routes, deps);
    registerPortalConsent(routes, deps);
    registerPortalForms(routes, deps);
    registerPortalWaitlist(routes, deps);
    registerPortalQuietHours(routes, deps);
    registerPortalCorrections(routes, deps);
    registerPortalExport(routes, deps);
    routes.get<{ Querystring: { _count?: string } }>('/api/portal/access-log', async (request) => {
      const person = await resolvePerson(request.fhir, patientOf(request));
      const count = Math.min(Math.max(Number(request.query._count) || 100, 1), 500);
      const caller = { principal: request.principal, context: contextOf(request) };
      return {
        accesses: await readOwnAccessReport(deps.db, caller, { patients: compartmentIds(person), count }),
      };
    });
  });
}

function bookingDeps(deps: ServerDeps, request: FastifyRequest): PortalBookingDeps {
  const service = serviceStore(deps, request);
  return {
    service: { repository: service, clock: deps.clock, timeZone: deps.config.clinicTimeZone },
    own: request.fhir,
    patient: patientOf(request),
  };
}

/** `{schedule, start}` of a time chosen from the free times (400 naming the field otherwise). */
function chosenTimeOf(body: unknown): ChosenTime {
  const { schedule, start } = (body ?? {}) as Record<string, unknown>;
  if (typeof schedule !== 'string' || !schedule)
    throw new ThroughlineError('INVALID_REQUEST', 'schedule must be a Schedule id', {
      expression: 'schedule',
    });
  if (typeof start !== 'string')
    throw new ThroughlineError('INVALID_REQUEST', 'start must be an instant', { expression: 'start' });
  return { schedule: resourceId(schedule.replace(/^Schedule\//, '')), start };
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** Free times for her (`$find` with her as the patient, on the clinic's schedules). */
function registerFreeTimes(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/portal/free-times',
    async (request, reply) => {
      const { start, end } = request.query;
      const found = await freeTimesFor(bookingDeps(deps, request), {
        start,
        end,
        serviceType: request.query['service-type'],
      });
      await audited(deps, request, { action: 'portal-find', resourceType: 'Appointment' });
      return reply.type(FHIR_JSON).send(found);
    },
  );
}

function registerPortalBooking(routes: FastifyInstance, deps: ServerDeps): void {
  registerFreeTimes(routes, deps);
  routes.post('/api/portal/appointments', async (request, reply) => {
    const booked = await bookForPatient(bookingDeps(deps, request), chosenTimeOf(request.body));
    await audited(deps, request, {
      action: 'portal-book',
      resourceType: 'Appointment',
      resourceId: booked.id,
    });
    return reply.code(201).type(FHIR_JSON).send(booked);
  });
  registerAppointmentChanges(routes, deps);
}

/** What she does to one of her own appointments: cancel, confirm, move. */
function registerAppointmentChanges(routes: FastifyInstance, deps: ServerDeps): void {
  routes.post('/api/portal/appointments/:id/cancel', async (request: IdRequest, reply) => {
    const id = resourceId(request.params.id);
    const cancelled = await cancelForPatient(bookingDeps(deps, request), id);
    await audited(deps, request, { action: 'portal-cancel', resourceType: 'Appointment', resourceId: id });
    return reply.type(FHIR_JSON).send(cancelled);
  });
  routes.post('/api/portal/appointments/:id/confirm', async (request: IdRequest, reply) => {
    const id = resourceId(request.params.id);
    const confirmed = await confirmForPatient(bookingDeps(deps, request), id);
    await audited(deps, request, { action: 'portal-confirm', resourceType: 'Appointment', resourceId: id });
    return reply.type(FHIR_JSON).send(confirmed);
  });
  routes.post('/api/portal/appointments/:id/reschedule', async (request: IdRequest, reply) => {
    const id = resourceId(request.params.id);
    const booked = await rescheduleForPatient(bookingDeps(deps, request), {
      id,
      to: chosenTimeOf(request.body),
    });
    await audited(deps, request, {
      action: 'portal-reschedule',
      resourceType: 'Appointment',
      resourceId: id,
    });
    return reply.code(201).type(FHIR_JSON).send(booked);
  });
}

function consentDeps(deps: ServerDeps, request: FastifyRequest): PortalConsentDeps {
  return {
    own: request.fhir,
    service: serviceStore(deps, request),
    patient: patientOf(request),
    now: deps.clock.now(),
  };
}

/** Consent to outreach per channel and purpose: what applies now, and her choice. */
function registerPortalConsent(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/portal/consents', async (request) => ({
    states: await consentStatesFor(consentDeps(deps, request)),
  }));
  routes.post('/api/portal/consents', async (request) => {
    const choice = choiceOf(request.body);
    if ('wrong' in choice)
      throw new ThroughlineError('INVALID_REQUEST', `${choice.wrong} is missing or not one we know`, {
        expression: choice.wrong,
      });
    const states = await recordConsentChoice(consentDeps(deps, request), choice);
    await audited(deps, request, {
      action: 'portal-consent',
      resourceType: 'Consent',
      detail: `${choice.decision} ${choice.channel} for ${choice.purpose}`,
    });
    return { states };
  });
}
