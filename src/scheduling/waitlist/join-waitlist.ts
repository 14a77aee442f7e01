import type { Appointment, Schedule } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { resourcesOf } from '../find/load-schedule.ts';
import { SERVICE_TYPE_SYSTEM } from '../model/service-types.ts';

/** What a patient asks to wait for: a service, perhaps a practitioner or a place, and a window. */
export interface WaitlistWish {
  /** `Patient/{id}`: who waits. */
  patient: string;
  /** An HL7 service-type code a Schedule of the clinic offers. */
  serviceType: string;
  /** `Practitioner/{id}` or `PractitionerRole/{id}` a Schedule of the service names. */
  practitioner?: string;
  /** `Location/{id}` a Schedule of the service names. */
  location?: string;
  /** The acceptable window (`requestedPeriod`). */
  start: string;
  end: string;
}

/** The longest window one entry may ask for: a waiting list is for soon, not for next year. */
const LONGEST_WINDOW_DAYS = 92;
/** Open entries per patient: enough for real needs, too few to crowd the list. */
export const MOST_OPEN_ENTRIES = 5;
const DAY_MS = 86_400_000;

const invalid = (message: string, expression: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression });

/**
 * A patient joins the waiting list: an Appointment with status `waitlist` for her, the service,
 * the window, and the practitioner or location she named (offers then come only from schedules
 * that name them, `offer-freed-time.ts`). What she names must be what the clinic offers: a
 * service some active Schedule has, a practitioner or location such a Schedule names.
 */
export async function joinWaitlist(deps: SchedulingDeps, wish: WaitlistWish): Promise<Appointment> {
  const window = windowOf(deps, wish);
  const schedules = await schedulesOf(deps, wish.serviceType);
  if (schedules.length === 0)
    throw invalid(`The clinic offers no bookable service ${wish.serviceType}`, 'serviceType');
  for (const [field, reference] of [
    ['practitioner', wish.practitioner],
    ['location', wish.location],
  ] as const)
    if (reference && !schedules.some((s) => (s.actor ?? []).some((actor) => actor.reference === reference)))
      throw invalid(`${reference} does not see patients for this service`, field);
  await checkOpenEntries(deps, wish.patient);
  const entry: Appointment = {
    resourceType: 'Appointment',
    status: 'waitlist',
    serviceType: [{ coding: [{ system: SERVICE_TYPE_SYSTEM, code: wish.serviceType }] }],
    priority: 5,
    requestedPeriod: [window],
    created: deps.clock.now().toISOString(),
    participant: [
      { actor: { reference: wish.patient }, status: 'needs-action' },
      ...[wish.practitioner, wish.location]
        .filter((reference): reference is string => !!reference)
        .map((reference) => ({ actor: { reference }, status: 'needs-action' as const })),
    ],
  };
  return (await deps.repository.create(entry)).resource;
}

/** The window as instants: start before end, ending in the future, at most three months long. */
function windowOf(deps: SchedulingDeps, wish: WaitlistWish): { start: string; end: string } {
  const start = Date.parse(wish.start);
  const end = Date.parse(wish.end);
  if (Number.isNaN(start)) throw invalid('start must be a date and time', 'start');
  if (Number.isNaN(end)) throw invalid('end must be a date and time', 'end');
  if (end <= start) throw invalid('end must be after start', 'end');
  if (end <= deps.clock.now().getTime()) throw invalid('end must be in the future', 'end');
  if (end - start > LONGEST_WINDOW_DAYS * DAY_MS)
    throw invalid(`The window may be at most ${LONGEST_WINDOW_DAYS} days long`, 'end');
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/** The clinic's active Schedules of a service. */
async function schedulesOf(deps: SchedulingDeps, serviceType: string): Promise<Schedule[]> {
  const params: [string, string][] = [
    ['active', 'true'],
    ['service-type', serviceType],
    ['_count', '1000'],
  ];
  return resourcesOf<Schedule>(await deps.repository.search({ resourceType: 'Schedule', params }));
}

async function checkOpenEntries(deps: SchedulingDeps, patient: string): Promise<void> {
  const open = await deps.repository.search({
    resourceType: 'Appointment',
    params: [
      ['patient', patient],
      ['status', 'waitlist'],
      ['_count', String(MOST_OPEN_ENTRIES + 1)],
    ],
  });
  if ((open.entry?.length ?? 0) >= MOST_OPEN_ENTRIES)
    throw new ThroughlineError(
      'CONFLICT',
      `You are already waiting for ${MOST_OPEN_ENTRIES} times: leave one before joining again`,
      { expression: 'Appointment.status' },
    );
}
