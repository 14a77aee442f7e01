import type { Appointment, AppointmentParticipant } from '@medplum/fhirtypes';
import type { Interval } from '../model/intervals.ts';
import type { LoadedSchedule } from './load-schedule.ts';

/** What one proposed Appointment is made of. */
export interface ProposalParts {
  loaded: LoadedSchedule;
  time: Interval;
  patient?: string;
}

export const PROPOSED_SLOT_ID = 'slot';

/**
 * A proposed Appointment: its participants (patient, the schedule's people, its location) and a
 * contained free Slot naming the Schedule — what `$book` needs to book it, and all a client
 * has to send back.
 */
export function proposal({ loaded, time, patient }: ProposalParts): Appointment {
  const start = new Date(time.start).toISOString();
  const end = new Date(time.end).toISOString();
  const participant: AppointmentParticipant[] = [
    ...(patient
      ? [{ actor: { reference: patient }, required: 'required' as const, status: 'needs-action' as const }]
      : []),
    ...loaded.people.map((reference) => ({
      actor: { reference },
      required: 'required' as const,
      status: 'needs-action' as const,
    })),
    ...(loaded.location && !loaded.people.includes(loaded.location)
      ? [{ actor: { reference: loaded.location }, status: 'needs-action' as const }]
      : []),
  ];
  return {
    resourceType: 'Appointment',
    contained: [
      {
        resourceType: 'Slot',
        id: PROPOSED_SLOT_ID,
        schedule: { reference: `Schedule/${loaded.schedule.id}` },
        serviceType: loaded.schedule.serviceType,
        status: 'free',
        start,
        end,
      },
    ],
    status: 'proposed',
    serviceType: loaded.schedule.serviceType,
    start,
    end,
    minutesDuration: loaded.service.minutes,
    slot: [{ reference: `#${PROPOSED_SLOT_ID}` }],
    participant,
  };
}
