import type { Appointment, Encounter, RiskAssessment } from '@medplum/fhirtypes';
import { DateTime } from 'luxon';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { patientOf } from '../noshow/booking-from-fhir.ts';
import { RISK_SYSTEM } from '../noshow/assess-noshow-risk.ts';

/** One line of the front desk's day. */
export interface TodayItem {
  appointment: string;
  patient?: string;
  start?: string;
  end?: string;
  /** booked | confirmed | unconfirmed | arrived | in-progress | fulfilled | noshow | cancelled. */
  state: string;
  /** Minutes since arrival while the patient waits (arrived, not yet seen). */
  waitingMinutes?: number;
  /** The no-show risk (0–1) where scored. */
  noShowRisk?: number;
  /** Who sees the patient and where (participant references), for the board's filters. */
  practitioners: string[];
  location?: string;
  /** What the visit is for (`Appointment.description`, else the appointment type's text). */
  description?: string;
}

const actorsOf = (appointment: Appointment, type: string): string[] =>
  appointment.participant.flatMap((p) =>
    p.actor?.reference?.startsWith(`${type}/`) ? [p.actor.reference] : [],
  );

const MINUTE = 60_000;

/** The state the board shows: FHIR status, refined by the patient's answer and the visit's progress. */
function stateOf(appointment: Appointment, encounter: Encounter | undefined): string {
  if (encounter?.status === 'in-progress') return 'in-progress';
  const answer = appointment.participant.find((p) => p.actor?.reference === patientOf(appointment))?.status;
  if (appointment.status === 'booked') return answer === 'accepted' ? 'confirmed' : 'booked';
  if (appointment.status === 'pending') return 'unconfirmed';
  if (appointment.status === 'checked-in') return 'arrived';
  return appointment.status;
}

/**
 * Today's appointments (in the clinic's time zone), at one location or everywhere, with their
 * state, how long arrived patients have waited and the no-show risk.
 */
export async function frontDeskToday(
  deps: SchedulingDeps,
  request: { location?: string; date?: string },
): Promise<TodayItem[]> {
  const now = deps.clock.now();
  const { appointments, encounters } = await dayOf(deps, request);
  const risks = await risksOf(
    deps,
    appointments.map((a) => a.id),
  );
  return appointments.map((appointment) => {
    const encounter = encounters.find((e) =>
      e.appointment?.some((r) => r.reference === `Appointment/${appointment.id}`),
    );
    const state = stateOf(appointment, encounter);
    const arrived = encounter?.period?.start;
    const waited = arrived
      ? Math.max(0, Math.round((now.getTime() - Date.parse(arrived)) / MINUTE))
      : undefined;
    return {
      appointment: `Appointment/${appointment.id}`,
      patient: patientOf(appointment),
      start: appointment.start,
      end: appointment.end,
      state,
      practitioners: actorsOf(appointment, 'Practitioner'),
      location: actorsOf(appointment, 'Location')[0],
      description: appointment.description ?? appointment.appointmentType?.text,
      ...(state === 'arrived' && waited !== undefined ? { waitingMinutes: waited } : {}),
      ...(risks.has(appointment.id) ? { noShowRisk: risks.get(appointment.id) } : {}),
    };
  });
}

/** The day's Appointments (at the location) and the Encounters opened for them. */
async function dayOf(
  deps: SchedulingDeps,
  request: { location?: string; date?: string },
): Promise<{ appointments: (Appointment & { id: string })[]; encounters: Encounter[] }> {
  const zone = { zone: deps.timeZone };
  const day = (
    request.date ? DateTime.fromISO(request.date, zone) : DateTime.fromJSDate(deps.clock.now(), zone)
  ).startOf('day');
  const params: [string, string][] = [
    ['date', `ge${day.toUTC().toISO()}`],
    ['date', `lt${day.plus({ days: 1 }).toUTC().toISO()}`],
    ['_sort', 'date'],
    ['_count', '1000'],
    ['_revinclude', 'Encounter:appointment'],
  ];
  if (request.location) params.push(['actor', request.location]);
  const entries = (await deps.repository.search({ resourceType: 'Appointment', params })).entry ?? [];
  return {
    appointments: entries
      .filter((e) => e.search?.mode !== 'include')
      .map((e) => e.resource as Appointment & { id: string }),
    encounters: entries
      .filter((e) => e.resource?.resourceType === 'Encounter')
      .map((e) => e.resource as Encounter),
  };
}

async function risksOf(deps: SchedulingDeps, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const bundle = await deps.repository
    .search({
      resourceType: 'RiskAssessment',
      params: [
        ['identifier', ids.map((id) => `${RISK_SYSTEM}|Appointment/${id}`).join(',')],
        ['_count', '1000'],
      ],
    })
    .catch(() => undefined); // a role that may not read RiskAssessments sees the board without them
  const risks = new Map<string, number>();
  for (const entry of bundle?.entry ?? []) {
    const assessment = entry.resource as RiskAssessment;
    const id = assessment.basis?.[0]?.reference?.slice('Appointment/'.length);
    const probability = assessment.prediction?.[0]?.probabilityDecimal;
    if (id && probability !== undefined) risks.set(id, probability);
  }
  return risks;
}
