import type { Appointment, Bundle, Patient, RiskAssessment } from '@medplum/fhirtypes';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { bookingRecordOf, patientOf } from './booking-from-fhir.ts';
import { withHistory, type BookingRecord } from './booking-record.ts';
import { scoreBooking, type NoShowModel } from './train-noshow-model.ts';

/** One RiskAssessment per Appointment, found again by this identifier (`Appointment/{id}`). */
export const RISK_SYSTEM = 'https://throughline.dev/fhir/sid/noshow-risk';
const SCORED = ['booked', 'pending'];

/** The model to score with (cached and retrained by the caller); undefined while there is none. */
export type NoShowModelSource = () => Promise<NoShowModel | undefined>;

/**
 * Scores a booked Appointment and stores the score as a `RiskAssessment` (`basis` the
 * Appointment, `prediction.probabilityDecimal`), refreshed on every change of the Appointment —
 * unchanged scores write nothing. The score only adds outreach; it never refuses a booking.
 */
export async function assessNoShowRisk(
  deps: SchedulingDeps & { model: NoShowModelSource },
  appointmentId: string,
): Promise<RiskAssessment | undefined> {
  const appointment = await deps.repository
    .read<Appointment>('Appointment', appointmentId)
    .catch(() => undefined);
  const patient = appointment && patientOf(appointment);
  if (!appointment || !patient || !SCORED.includes(appointment.status)) return undefined;
  if (Date.parse(appointment.start ?? '') < deps.clock.now().getTime()) return undefined;
  const model = await deps.model();
  if (!model) return undefined;
  const risk = await riskOf(deps, { model, appointment, patient });
  if (risk === undefined) return undefined;
  const assessment: RiskAssessment = {
    resourceType: 'RiskAssessment',
    identifier: [{ system: RISK_SYSTEM, value: `Appointment/${appointmentId}` }],
    status: 'final',
    subject: { reference: patient },
    basis: [{ reference: `Appointment/${appointmentId}` }],
    code: { text: 'Risk of not attending the appointment (no-show)' },
    method: {
      text: `${model.kind === 'boosted' ? 'Gradient-boosted trees' : 'Logistic regression'} on what was known at booking (src/scheduling/noshow)`,
    },
    occurrenceDateTime: appointment.created ?? appointment.start,
    prediction: [{ outcome: { text: 'No-show' }, probabilityDecimal: Math.round(risk * 1000) / 1000 }],
  };
  const query = `identifier=${RISK_SYSTEM}|Appointment/${appointmentId}`;
  return (await deps.repository.conditionalUpdate(assessment, query)).resource;
}

/** The score of one appointment with the patient's history from their other appointments. */
async function riskOf(
  deps: SchedulingDeps,
  request: { model: NoShowModel; appointment: Appointment; patient: string },
): Promise<number | undefined> {
  const { model, appointment, patient } = request;
  const person = await deps.repository.read<Patient>('Patient', patient.slice('Patient/'.length));
  const bundle: Bundle = await deps.repository.search({
    resourceType: 'Appointment',
    params: [
      ['patient', patient],
      ['_count', '500'],
    ],
  });
  const others = (bundle.entry ?? [])
    .map((entry) => entry.resource as Appointment)
    .filter((other) => other.id !== appointment.id)
    .flatMap((other) => bookingRecordOf(other, person) ?? []);
  const own = bookingRecordOf(appointment, person);
  if (!own) return undefined;
  const scored = withHistory([...others, own] as BookingRecord[]).at(-1)!;
  return scoreBooking(model, scored);
}
