import type { Appointment, Bundle, Schedule } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { MINUTE, type Interval } from '../model/intervals.ts';
import { openTimes, proposeTimes } from '../model/open-times.ts';
import { appointmentInterval, appointmentsOf, loadSchedules, type LoadedSchedule } from './load-schedule.ts';
import { searchSchedules, type KnownResources } from './read-actors.ts';
import { proposal } from './proposal.ts';

/** `Appointment/$find` input (IHE Scheduling): a window and what to look for. */
export interface FindRequest {
  start?: string;
  end?: string;
  serviceType?: string;
  practitioner?: string;
  location?: string;
  patient?: string;
  count?: number;
}

const DEFAULT_WINDOW_DAYS = 7;
const LONGEST_WINDOW_DAYS = 92;
/** The first stretch of the range whose bookings `$find` reads: a day usually holds enough proposals. */
const FIRST_SPAN = 24 * 60 * MINUTE;

/**
 * Free times as proposed Appointments (status `proposed`, participants, a contained Slot naming
 * the Schedule): every matching Schedule's open time minus bookings, buffers, holidays and the
 * patient's own appointments, earliest first.
 */
export async function findAppointments(deps: SchedulingDeps, request: FindRequest): Promise<Bundle> {
  const range = windowOf(deps, request);
  const count = Math.min(Math.max(request.count ?? 20, 1), 500);
  // The patient is read (an unknown one is a clear 404, and the read is the audit record naming
  // them) alongside the schedules and the patient's own bookings.
  const [{ schedules, known }, , patientBusy] = await Promise.all([
    matchingSchedules(deps, request),
    request.patient && deps.repository.read('Patient', request.patient.replace(/^Patient\//, '')),
    request.patient
      ? appointmentsOf(deps.repository, { actors: [request.patient], range, param: 'patient' }).then(
          (booked) => booked.flatMap(appointmentInterval),
        )
      : [],
  ]);
  const found = await earliestProposals(deps, { schedules, known, range, patientBusy, request, count });
  const entry = found.map((resource) => ({ resource, search: { mode: 'match' as const } }));
  return { resourceType: 'Bundle', type: 'searchset', total: entry.length, entry };
}

interface ProposalSearch {
  schedules: (Schedule & { id: string })[];
  known: KnownResources;
  range: Interval;
  patientBusy: Interval[];
  request: FindRequest;
  count: number;
}

/**
 * The first `count` proposals of the range, earliest first, reading bookings for as little of
 * it as gives them: a day, then twice as long, until enough are certain or the range is read.
 * Loaded up to `until`, every proposal that starts before `until` less the longest visit and
 * buffer is exactly what the whole range would give (later bookings cannot reach it, and a
 * free interval's proposals are laid from its start), so those are taken as they are.
 */
async function earliestProposals(deps: SchedulingDeps, search: ProposalSearch): Promise<Appointment[]> {
  const { schedules, known, range, patientBusy, request, count } = search;
  for (let span = FIRST_SPAN; ; span *= 2) {
    const until = Math.min(range.end, range.start + span);
    const read = { start: range.start, end: until };
    const found: Appointment[] = [];
    let longest = 0;
    for (const loaded of await loadSchedules(deps, { schedules, known, range: read })) {
      longest = Math.max(longest, (loaded.service.minutes + loaded.service.bufferMinutes) * MINUTE);
      for (const time of freeTimes(deps, { loaded, range: read, patientBusy }))
        found.push(proposal({ loaded, time, patient: request.patient }));
    }
    found.sort((a, b) => Date.parse(a.start!) - Date.parse(b.start!));
    const certain =
      until >= range.end ? found : found.filter((each) => Date.parse(each.start!) < until - longest);
    if (certain.length >= count || until >= range.end) return certain.slice(0, count);
  }
}

/** A schedule's proposable times in a range, given the patient's own bookings. */
export function freeTimes(
  deps: SchedulingDeps,
  request: { loaded: LoadedSchedule; range: Interval; patientBusy: Interval[] },
): Interval[] {
  const { loaded, range, patientBusy } = request;
  return proposeTimes(openTimes(loaded.times, range), {
    service: loaded.service,
    now: deps.clock.now().getTime(),
    patientBusy,
    busy: loaded.times.busy,
  });
}

function windowOf(deps: SchedulingDeps, request: FindRequest): Interval {
  const start = request.start ? instant(request.start, 'start') : deps.clock.now().getTime();
  const end = request.end ? instant(request.end, 'end') : start + DEFAULT_WINDOW_DAYS * 24 * 60 * MINUTE;
  if (end <= start)
    throw new ThroughlineError('INVALID_REQUEST', 'end must be after start', { expression: 'end' });
  if (end - start > LONGEST_WINDOW_DAYS * 24 * 60 * MINUTE)
    throw new ThroughlineError('INVALID_REQUEST', `At most ${LONGEST_WINDOW_DAYS} days at once`, {
      expression: 'end',
    });
  return { start, end };
}

function instant(value: string, name: string): number {
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at))
    throw new ThroughlineError('INVALID_REQUEST', `${name} must be a date or dateTime, got "${value}"`, {
      expression: name,
    });
  return at;
}

/** Active Schedules for the service, practitioner and location asked for, with their actors. */
function matchingSchedules(
  deps: SchedulingDeps,
  request: FindRequest,
): Promise<{ schedules: (Schedule & { id: string })[]; known: KnownResources }> {
  const params: [string, string][] = [
    ['active', 'true'],
    ['_count', '1000'],
  ];
  if (request.serviceType) params.push(['service-type', request.serviceType]);
  if (request.practitioner) params.push(['actor', request.practitioner]);
  if (request.location) params.push(['actor', request.location]);
  return searchSchedules(deps.repository, params);
}
