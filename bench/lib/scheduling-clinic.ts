// A large clinic for the scheduling benchmark: practitioners with weekly templates, each with a
// Schedule for one service, and about three months of bookings around now (a busy Slot claiming
// the time, as $book writes it, and the Appointment), imported in bulk.
import { randomUUID } from 'node:crypto';
import type { Appointment, Resource, Slot } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../src/store/index.ts';
import { SERVICE_TYPE_SYSTEM } from '../../src/scheduling/index.ts';
import { EXCLUSIVE_IDENTIFIER_SYSTEM } from '../../src/store/index.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** Service 124 (General Practice): 15 minutes and 5 minutes' buffer, per model/service-types.json. */
export const GP = { coding: [{ system: SERVICE_TYPE_SYSTEM, code: '124', display: 'General Practice' }] };
const IMMUNIZATION = { coding: [{ system: SERVICE_TYPE_SYSTEM, code: '57', display: 'Immunization' }] };
const VISIT = 15 * MINUTE;
const STEP = 20 * MINUTE;

export interface BenchClinic {
  practitioners: string[];
  patients: string[];
  /** Monday 00:00 UTC of next week: the weeks from it on are partly booked. */
  monday: number;
  appointments: number;
}

let seed = 42;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

/** Practitioners 0–39 offer General Practice, 40–49 immunizations; Mon–Fri 08:00–16:00 UTC. */
function staff(count: number): { resources: Resource[]; practitioners: string[]; schedules: string[] } {
  const location = randomUUID();
  const resources: Resource[] = [{ resourceType: 'Location', id: location, name: 'Bench clinic' }];
  const practitioners: string[] = [];
  const schedules: string[] = [];
  for (let n = 0; n < count; n++) {
    const [practitioner, role, schedule] = [randomUUID(), randomUUID(), randomUUID()];
    resources.push(
      { resourceType: 'Practitioner', id: practitioner, name: [{ family: `Bench ${n}` }] },
      {
        resourceType: 'PractitionerRole',
        id: role,
        practitioner: { reference: `Practitioner/${practitioner}` },
        location: [{ reference: `Location/${location}` }],
        availableTime: [
          {
            daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'],
            availableStartTime: '08:00:00',
            availableEndTime: '16:00:00',
          },
        ],
      },
      {
        resourceType: 'Schedule',
        id: schedule,
        active: true,
        serviceType: [n < 40 ? GP : IMMUNIZATION],
        actor: [
          { reference: `PractitionerRole/${role}` },
          { reference: `Practitioner/${practitioner}` },
          { reference: `Location/${location}` },
        ],
      },
    );
    practitioners.push(`Practitioner/${practitioner}`);
    schedules.push(`Schedule/${schedule}`);
  }
  return { resources, practitioners, schedules };
}

/** A booking as $book writes it: the busy Slot claiming each 5-minute block, and the Appointment. */
function booking(parts: {
  schedule: string;
  practitioner: string;
  patient: string;
  start: number;
}): Resource[] {
  const { schedule, practitioner, patient, start } = parts;
  const slotId = randomUUID();
  const claims: string[] = [];
  for (let at = start; at < start + STEP; at += 5 * MINUTE)
    claims.push(`${schedule}@${new Date(at).toISOString()}#0`);
  const iso = (at: number) => new Date(at).toISOString();
  const slot: Slot = {
    resourceType: 'Slot',
    id: slotId,
    schedule: { reference: schedule },
    status: 'busy',
    start: iso(start),
    end: iso(start + VISIT),
    identifier: claims.map((value) => ({ system: EXCLUSIVE_IDENTIFIER_SYSTEM, value })),
  };
  const past = start < Date.now();
  const appointment: Appointment = {
    resourceType: 'Appointment',
    id: randomUUID(),
    status: past ? (random() < 0.15 ? 'noshow' : 'fulfilled') : 'booked',
    start: iso(start),
    end: iso(start + VISIT),
    created: iso(start - Math.floor(random() * 30) * DAY),
    slot: [{ reference: `Slot/${slotId}` }],
    participant: [
      { actor: { reference: patient }, status: 'accepted' },
      { actor: { reference: practitioner }, status: 'accepted' },
    ],
  };
  return [slot, appointment];
}

/**
 * Seeds `practitioners` with bookings filling `fill` of their time over `weeks` weeks around
 * next Monday (half before, half after), for `patients` patients.
 */
export async function seedBenchClinic(
  repository: FhirRepository,
  shape: { practitioners: number; patients: number; weeks: number; fill: number },
): Promise<BenchClinic> {
  const { resources, practitioners, schedules } = staff(shape.practitioners);
  const patients = Array.from({ length: shape.patients }, () => randomUUID());
  for (const id of patients) resources.push({ resourceType: 'Patient', id, name: [{ family: 'Bench' }] });
  const now = new Date();
  const monday =
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) +
    ((8 - now.getUTCDay()) % 7 || 7) * DAY;
  let appointments = 0;
  const firstDay = monday - Math.floor(shape.weeks / 2) * 7 * DAY;
  for (let day = 0; day < shape.weeks * 7; day++) {
    if (day % 7 >= 5) continue;
    for (let p = 0; p < practitioners.length; p++)
      for (let start = 8 * 60 * MINUTE; start + STEP <= 16 * 60 * MINUTE; start += STEP) {
        if (random() >= shape.fill) continue;
        const patient = `Patient/${patients[Math.floor(random() * patients.length)]!}`;
        const at = firstDay + day * DAY + start;
        resources.push(
          ...booking({ schedule: schedules[p]!, practitioner: practitioners[p]!, patient, start: at }),
        );
        appointments++;
      }
  }
  for (let at = 0; at < resources.length; at += 1000)
    await repository.importResources(resources.slice(at, at + 1000));
  await repository.refreshStatistics();
  return { practitioners, patients: patients.map((id) => `Patient/${id}`), monday, appointments };
}
