import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { Appointment, Bundle, CommunicationRequest } from '@medplum/fhirtypes';
import type { ChangeEvent } from '../../store/index.ts';
import type { EngagementDeps } from '../engine/engagement-deps.ts';
import { ENGAGEMENT_SYSTEM } from '../model/outreach-codes.ts';
import { outreachRequestOf } from '../model/request-outreach.ts';

export const REMINDER_KEY_SYSTEM = `${ENGAGEMENT_SYSTEM}/appointment-reminder`;

/** One reminder to be: for which patient, how many hours before, due when. */
interface PlannedReminder {
  key: string;
  patient: string;
  dueAt: string;
}

/**
 * Appointment reminders for every booked Appointment, from any source (FHIR, HL7 SIU): one
 * CommunicationRequest per patient and configured offset (default 72 h, 24 h, 2 h before),
 * keyed so a rewrite plans nothing twice. Rescheduling moves the waiting ones; a cancellation
 * revokes them (and the engine checks again at the moment of sending).
 */
export async function planReminders(deps: EngagementDeps, event: ChangeEvent): Promise<void> {
  if (event.resourceType !== 'Appointment' || event.action === 'delete') return;
  const appointment = await deps.repository
    .read<Appointment>('Appointment', event.id)
    .catch(absentUnlessUnavailable);
  if (!appointment?.start) return;
  const planned = plannedReminders(deps, appointment as Appointment & { id: string });
  const existing = await existingReminders(
    deps,
    planned.map((p) => p.key),
  );
  const booked = appointment.status === 'booked';
  for (const request of existing.values())
    if (request.status === 'active') await reconcile(deps, { request, planned, booked });
  const now = deps.clock.now().getTime();
  if (!booked) return;
  for (const reminder of planned)
    if (!existing.has(reminder.key) && Date.parse(reminder.dueAt) > now)
      await createReminder(deps, { reminder, appointment });
}

function plannedReminders(
  deps: EngagementDeps,
  appointment: Appointment & { id: string },
): PlannedReminder[] {
  const start = Date.parse(appointment.start!);
  const patients = (appointment.participant ?? [])
    .filter((p) => p.actor?.reference?.startsWith('Patient/') && p.status !== 'declined')
    .map((p) => p.actor!.reference!);
  return patients.flatMap((patient) =>
    deps.rules.reminderHours.map((hours) => ({
      key: `${appointment.id}/${patient}/${hours}h`,
      patient,
      dueAt: new Date(start - hours * 3600_000).toISOString(),
    })),
  );
}

async function existingReminders(
  deps: EngagementDeps,
  keys: string[],
): Promise<Map<string, CommunicationRequest & { id: string }>> {
  if (keys.length === 0) return new Map();
  const bundle: Bundle = await deps.repository.search({
    resourceType: 'CommunicationRequest',
    params: [
      ['identifier', keys.map((key) => `${REMINDER_KEY_SYSTEM}|${key}`).join(',')],
      ['_count', '100'],
    ],
  });
  const found = (bundle.entry ?? []).map((entry) => entry.resource as CommunicationRequest & { id: string });
  return new Map(
    found.map((request) => [
      request.identifier!.find((i) => i.system === REMINDER_KEY_SYSTEM)!.value!,
      request,
    ]),
  );
}

async function reconcile(
  deps: EngagementDeps,
  change: { request: CommunicationRequest & { id: string }; planned: PlannedReminder[]; booked: boolean },
): Promise<void> {
  const { request, planned, booked } = change;
  const key = request.identifier?.find((i) => i.system === REMINDER_KEY_SYSTEM)?.value;
  const plan = planned.find((p) => p.key === key);
  if (!booked || !plan) {
    await deps.repository.update({
      ...request,
      status: 'revoked',
      statusReason: { text: 'the appointment is no longer booked' },
    });
    return;
  }
  if (request.occurrenceDateTime !== plan.dueAt)
    await deps.repository.update({ ...request, occurrenceDateTime: plan.dueAt });
}

async function createReminder(
  deps: EngagementDeps,
  { reminder, appointment }: { reminder: PlannedReminder; appointment: Appointment & { id?: string } },
): Promise<void> {
  const request = outreachRequestOf(
    {
      patient: reminder.patient,
      purpose: 'appointment-reminder',
      dueAt: reminder.dueAt,
      about: [`Appointment/${appointment.id}`],
    },
    deps.clock.now(),
  );
  request.identifier = [{ system: REMINDER_KEY_SYSTEM, value: reminder.key }];
  await deps.repository.create(request, { ifNoneExist: `identifier=${REMINDER_KEY_SYSTEM}|${reminder.key}` });
}
