import type {
  Appointment,
  Communication,
  Consent,
  MedicationDispense,
  MedicationRequest,
  Patient,
  Provenance,
  QuestionnaireResponse,
  Resource,
  Task,
} from '@medplum/fhirtypes';
import type { KpiFactRow } from '../../store/index.ts';
import { chronicPrescriptionOf, dispenseOf } from './adherence-kpis.ts';
import { adherenceExclusionKind, adherenceExclusionOf } from './adherence-exclusions.ts';
import { appointmentFacts, bookedAs } from './appointment-kpis.ts';
import { carePlanVisitFacts } from './care-plan-visit-kpis.ts';
import { checks, isActiveRecord } from './clean-data-kpis.ts';
import { followUpFacts } from './follow-up-kpis.ts';
import { stageRows } from './journey-stages.ts';
import { lifecycleFacts, reviewOf } from './identity-kpis.ts';
import { dayMs, patientOf, type Fact } from './kpi-model.ts';
import { surveyResponseFacts, surveyTaskFacts } from './satisfaction-kpis.ts';
import {
  attemptFacts,
  attemptOf,
  channelOf,
  extensionCode,
  optOutOf,
  REPLY_ACTION_URL,
} from './reminder-kpis.ts';

/** The resource types whose facts the KPIs keep (what the change-event subscriber reads). */
export const factTypes = [
  'Patient',
  'Consent',
  'Communication',
  'Appointment',
  'Task',
  'Provenance',
  'QuestionnaireResponse',
  'MedicationRequest',
  'MedicationDispense',
  // No facts of its own: the visits it schedules are the Appointments' (`plannedBy`).
  'CarePlan',
  // The journey stage dimension: its stage periods (journey-stages.ts).
  'EpisodeOfCare',
  // Adherence's exclusions: ESRD (Condition) and hospice (Encounter).
  'Condition',
  'Encounter',
];

/** What a resource's facts need from others: the CarePlan (id) that schedules each Appointment (id). */
export interface FactContext {
  plannedBy?: Map<string, string>;
}

/**
 * The facts one resource stands for, as kept in the store (issue 21): the same facts the
 * full read computes (`compute-kpis.ts`), each on its own. What needs another resource (a
 * reply's attempt, a consent's patient, a waitlist fill's booking) is kept as a link and
 * joined when a KPI is asked for (`src/store/kpi-facts/resolved-facts-sql.ts`).
 */
export function factsOfResource(resource: Resource, context: FactContext = {}): KpiFactRow[] {
  switch (resource.resourceType) {
    case 'Patient':
      return [...patientFacts(resource), ...stageRows(resource)];
    case 'EpisodeOfCare':
      return stageRows(resource);
    case 'Consent':
      return consentFacts(resource);
    case 'Communication':
      return communicationFacts(resource);
    case 'Appointment':
      return [
        ...appointmentRows(resource),
        ...plannedVisitRows(resource, context.plannedBy?.get(resource.id!)),
      ];
    case 'Task':
      return taskFacts(resource);
    case 'Provenance':
      return rowsOf(lifecycleFacts(resource as Provenance));
    case 'QuestionnaireResponse':
      return rowsOf(surveyResponseFacts(resource as QuestionnaireResponse));
    case 'MedicationRequest':
    case 'MedicationDispense':
      return medicationFacts(resource);
    case 'Condition':
    case 'Encounter':
      return exclusionFacts(resource);
    default:
      return [];
  }
}

/** A dated fact as a row; one dated by something unreadable falls in no window and is not kept. */
function rowsOf(facts: Fact[]): KpiFactRow[] {
  return facts.flatMap((fact) => {
    const at = instantOf(fact.at);
    if (at === undefined) return [];
    const { kpi, inNumerator, group, days, patient, location, practitioner, channel } = fact;
    return [{ kind: kpi, at, numerator: inNumerator, patient, group, days, location, practitioner, channel }];
  });
}

/** A date is its day's start in UTC (as `bucketOf` places it). */
function instantOf(at: string | undefined): string | undefined {
  if (!at) return undefined;
  const time = Date.parse(at.length === 10 ? `${at}T00:00:00Z` : at);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Clean data is a snapshot of today: the consent on file is joined from `active-consent`. */
function patientFacts(patient: Patient): KpiFactRow[] {
  if (!isActiveRecord(patient)) return [];
  return Object.entries(checks).map(([kind, check]) => ({
    kind,
    patient: patient.id,
    numerator: kind === 'clean-consent' ? false : check(patient, new Set()),
  }));
}

function consentFacts(consent: Consent): KpiFactRow[] {
  const patient = patientOf(consent.patient?.reference);
  if (!patient || consent.status !== 'active') return [];
  return [{ kind: 'active-consent', patient, link: patient, numerator: false }];
}

/** An attempt's facts; a reply (linked to the attempt it answers); the channel any outreach message went on. */
function communicationFacts(communication: Communication): KpiFactRow[] {
  const rows: KpiFactRow[] = [];
  if (communication.basedOn)
    rows.push({ kind: 'sent-on', channel: channelOf(communication), numerator: false });
  const answered = communication.inResponseTo?.[0]?.reference?.replace(/^Communication\//, '');
  const action = extensionCode(communication, REPLY_ACTION_URL);
  if (answered) rows.push({ kind: 'reply', link: answered, group: action ?? 'reply', numerator: false });
  if (answered && action === 'opt-out') {
    const { at, patient } = optOutOf(communication, answered);
    rows.push(
      ...rowsOf([{ kpi: 'opt-outs', at, patient, inNumerator: true }]).map((row) => ({
        ...row,
        link: answered,
      })),
    );
  }
  const attempt = attemptOf(communication);
  // Whether it was answered (and confirmed) is joined from the replies: here, as if not.
  if (attempt) rows.push(...rowsOf(attemptFacts(attempt, undefined)));
  return rows;
}

/** Its facts, when it starts (a waitlist fill is matched on it), and the booking a waitlist entry became. */
function appointmentRows(appointment: Appointment): KpiFactRow[] {
  const rows: KpiFactRow[] = [];
  const booking = bookedAs(appointment);
  if (booking) rows.push({ kind: 'waitlist-fill', link: booking, numerator: false });
  if (!appointment.start) return rows;
  rows.push(...rowsOf([{ kpi: 'appointment-start', at: appointment.start, inNumerator: false }]));
  return [...rows, ...rowsOf(appointmentFacts(appointment, appointment.start))];
}

/** Identity's reviews (the open ones also as today's backlog, aged from `authoredOn`) and worklist follow-ups. */
function taskFacts(task: Task): KpiFactRow[] {
  const review = reviewOf(task);
  const rows = rowsOf([...(review ? [review.opened] : []), ...followUpFacts(task), ...surveyTaskFacts(task)]);
  if (!review?.open) return rows;
  const { patient, at } = review.opened;
  return [
    ...rows,
    { kind: 'duplicate-review-backlog', patient, numerator: true },
    { kind: 'duplicate-review-age-days', patient, numerator: true, sinceMs: Date.parse(at) },
  ];
}

/**
 * Chronic-care adherence joins a patient's fills over a year, so its facts are computed when it
 * is asked for (`adherence-from-facts.ts`): kept here are each chronic prescription (drug,
 * prescriber) and each completed fill (day, supply, the prescription it was filled for).
 */
function medicationFacts(resource: MedicationRequest | MedicationDispense): KpiFactRow[] {
  if (resource.resourceType === 'MedicationRequest') {
    const chronic = chronicPrescriptionOf(resource);
    if (!chronic) return [];
    const { patient, drug, practitioner } = chronic;
    return [{ kind: 'chronic-prescription', patient, group: drug, practitioner, numerator: false }];
  }
  const fill = dispenseOf(resource);
  const at = instantOf(fill?.date);
  if (!fill || !at) return [];
  const { patient, drug: group, daysSupply: days, prescription: link } = fill;
  return [{ kind: 'medication-dispense', at, patient, group, days, link, numerator: false }];
}

/** A span excluding a patient from adherence: its first day, and how many days it lasted (absent: open). */
function exclusionFacts(resource: Resource): KpiFactRow[] {
  const exclusion = adherenceExclusionOf(resource);
  const at = instantOf(exclusion?.start);
  if (!exclusion || !at) return [];
  const end = exclusion.end ? Date.parse(`${exclusion.end}T00:00:00Z`) : undefined;
  const days = end === undefined ? undefined : Math.max(1, (end - Date.parse(at)) / dayMs + 1);
  return [{ kind: adherenceExclusionKind, at, patient: exclusion.patient, days, numerator: false }];
}

/** A visit a care plan schedules, linked to the plan (so a plan that drops it refreshes it). */
function plannedVisitRows(appointment: Appointment, plan: string | undefined): KpiFactRow[] {
  return rowsOf(carePlanVisitFacts(appointment, plan)).map((row) => ({ ...row, link: plan }));
}
