import { DateTime } from 'luxon';
import type { Appointment, Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { OVERBOOKING_EXTENSION, SERVICE_TYPE_SYSTEM, TIMEZONE_EXTENSION } from '../../scheduling/index.ts';
import type { TestPlatform } from './test-platform.ts';

/** A clinic to book in: a GP in Berlin, Monday to Friday 09:00–12:00, 15-minute GP visits with 5 minutes' buffer. */
export interface SchedulingFixture {
  schedule: string;
  practitioner: string;
  location: string;
  /** Next week's Monday 00:00 in the clinic's zone (ISO). */
  monday: DateTime;
}

export const GP_SERVICE = {
  coding: [{ system: SERVICE_TYPE_SYSTEM, code: '124', display: 'General Practice' }],
};

/** Creates the location, practitioner, role and schedule (optionally allowing overbooking). */
export async function createGpSchedule(
  platform: TestPlatform,
  options: { overbooking?: number } = {},
): Promise<SchedulingFixture> {
  const location = await platform.create({
    resourceType: 'Location',
    name: 'Test surgery',
    extension: [{ url: TIMEZONE_EXTENSION, valueCode: 'Europe/Berlin' }],
  } as never);
  const practitioner = await platform.create({
    resourceType: 'Practitioner',
    name: [{ family: 'Okoye' }],
  } as never);
  const role = await platform.create({
    resourceType: 'PractitionerRole',
    practitioner: { reference: `Practitioner/${practitioner}` },
    location: [{ reference: `Location/${location}` }],
    availableTime: [
      {
        daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'],
        availableStartTime: '09:00:00',
        availableEndTime: '12:00:00',
      },
    ],
  } as never);
  const schedule = await platform.create({
    resourceType: 'Schedule',
    active: true,
    serviceType: [GP_SERVICE],
    actor: [
      { reference: `PractitionerRole/${role}` },
      { reference: `Practitioner/${practitioner}` },
      { reference: `Location/${location}` },
    ],
    ...(options.overbooking
      ? { extension: [{ url: OVERBOOKING_EXTENSION, valueInteger: options.overbooking }] }
      : {}),
  } as never);
  const monday = DateTime.now().setZone('Europe/Berlin').plus({ weeks: 1 }).startOf('week');
  return {
    schedule: `Schedule/${schedule}`,
    practitioner: `Practitioner/${practitioner}`,
    location: `Location/${location}`,
    monday,
  };
}

/** `$find` for a schedule's practitioner over one day, for a patient: the proposals. */
export async function findTimes(
  platform: TestPlatform,
  request: { fixture: SchedulingFixture; patient: string; day?: DateTime; token?: string },
): Promise<Appointment[]> {
  const day = request.day ?? request.fixture.monday;
  const query = new URLSearchParams({
    start: day.toUTC().toISO()!,
    end: day.plus({ days: 1 }).toUTC().toISO()!,
    practitioner: request.fixture.practitioner,
    patient: request.patient,
    _count: '100',
  });
  const response = await platform.fetch(`/fhir/Appointment/$find?${query}`, { token: request.token });
  if (response.status !== 200) throw new Error(`$find: ${response.status} ${await response.text()}`);
  return ((await response.json()) as Bundle).entry!.map((entry) => entry.resource as Appointment);
}

/** Posts an operation with a Parameters body; the status and the answer. */
export async function operate(
  platform: TestPlatform,
  request: { path: string; parameter: object[]; token?: string },
): Promise<{ status: number; body: Appointment & Pick<OperationOutcome, 'issue'> }> {
  const response = await platform.fetch(request.path, {
    method: 'POST',
    token: request.token,
    body: JSON.stringify({ resourceType: 'Parameters', parameter: request.parameter }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Appointment & Pick<OperationOutcome, 'issue'>,
  };
}

/** `$book` (or `$hold`) of a proposal, retargeted at a patient. */
export function book(
  platform: TestPlatform,
  request: { proposal: Appointment; patient: string; operation?: '$book' | '$hold'; token?: string },
) {
  const appointment = {
    ...request.proposal,
    participant: request.proposal.participant.map((participant) =>
      participant.actor?.reference?.startsWith('Patient/')
        ? { ...participant, actor: { reference: request.patient } }
        : participant,
    ),
  };
  return operate(platform, {
    path: `/fhir/Appointment/${request.operation ?? '$book'}`,
    parameter: [{ name: 'appointment', resource: appointment }],
    token: request.token,
  });
}
