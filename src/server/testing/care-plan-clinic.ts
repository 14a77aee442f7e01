import type { Appointment, CarePlan, Patient } from '@medplum/fhirtypes';

/**
 * A generated clinic of care plans and the visits they schedule (raw FHIR), with "care-plan
 * visits kept" counted while it is made: November 2026, visits at loc-north or loc-south.
 */
const STATUSES = ['fulfilled', 'noshow', 'fulfilled', 'cancelled', 'checked-in', 'booked', 'fulfilled'];
const PLAN_STATUS = ['active', 'completed', 'draft', 'active'];

export interface CarePlanTruth {
  kept: { numerator: number; denominator: number };
  keptNorth: { numerator: number; denominator: number };
  /** Patients with a visit kept, and with any visit counted. */
  keptPatients: string[];
  countedPatients: string[];
}

function visit(
  id: string,
  patient: string,
  how: { status: string; day: number; location: string },
): Appointment {
  return {
    resourceType: 'Appointment',
    id,
    status: how.status as Appointment['status'],
    start: `2026-11-${String(how.day).padStart(2, '0')}T09:00:00Z`,
    end: `2026-11-${String(how.day).padStart(2, '0')}T09:20:00Z`,
    participant: [
      { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
      { actor: { reference: `Location/${how.location}` }, status: 'accepted' },
    ],
  };
}

/**
 * `n` patients with three visits each in November; a plan (status cycling active, completed,
 * draft, active) schedules the first two; the third is outside any plan. Draft plans schedule
 * nothing; booked visits have no outcome yet.
 */
export function carePlanClinic(n = 24): {
  resources: (Patient | Appointment | CarePlan)[];
  truth: CarePlanTruth;
} {
  const resources: (Patient | Appointment | CarePlan)[] = [];
  const truth: CarePlanTruth = {
    kept: { numerator: 0, denominator: 0 },
    keptNorth: { numerator: 0, denominator: 0 },
    keptPatients: [],
    countedPatients: [],
  };
  for (let i = 0; i < n; i += 1) {
    const patient = `cp-p${i}`;
    resources.push({ resourceType: 'Patient', id: patient, name: [{ family: `Plan${i}`, given: ['Pat'] }] });
    const planStatus = PLAN_STATUS[i % PLAN_STATUS.length]!;
    const visits = [0, 1, 2].map((v) => {
      const status = STATUSES[(i + v * 3) % STATUSES.length]!;
      const location = (i + v) % 2 === 0 ? 'loc-north' : 'loc-south';
      return {
        appointment: visit(`cp-a${i}-${v}`, patient, { status, day: 1 + ((i + v * 7) % 28), location }),
        location,
      };
    });
    resources.push(...visits.map((each) => each.appointment));
    resources.push({
      resourceType: 'CarePlan',
      id: `cp-plan${i}`,
      status: planStatus as CarePlan['status'],
      intent: 'plan',
      subject: { reference: `Patient/${patient}` },
      activity: visits
        .slice(0, 2)
        .map((each) => ({ reference: { reference: `Appointment/${each.appointment.id}` } })),
    });
    if (planStatus === 'draft') continue;
    for (const { appointment, location } of visits.slice(0, 2)) {
      if (appointment.status === 'booked') continue;
      const kept = ['fulfilled', 'checked-in'].includes(appointment.status);
      truth.kept.denominator += 1;
      truth.kept.numerator += Number(kept);
      if (location === 'loc-north') {
        truth.keptNorth.denominator += 1;
        truth.keptNorth.numerator += Number(kept);
      }
      truth.countedPatients.push(patient);
      if (kept) truth.keptPatients.push(patient);
    }
  }
  truth.keptPatients = [...new Set(truth.keptPatients)].sort();
  truth.countedPatients = [...new Set(truth.countedPatients)].sort();
  return { resources, truth };
}
