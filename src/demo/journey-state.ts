import type { Coverage, Patient, Practitioner } from '@medplum/fhirtypes';
import type { Stored } from './clinic-context.ts';
import type { Person } from './people.ts';
import type { Visit } from './visits.ts';
import type { ConditionDefinition } from './vocabulary/clinical-codes.ts';

/** Everything generated so far for one person, passed from step to step of their story. */
export interface Journey {
  person: Person;
  /** The GP's record: the clinic's own view of the person. */
  gp: Stored<Patient>;
  /** The lab's or hospital's own record of the same person, when they have one. */
  other?: { source: 'lab' | 'hospital'; patient: Stored<Patient> };
  doctor: Stored<Practitioner>;
  conditions: ConditionDefinition[];
  coverage?: Stored<Coverage>;
  weightKg: number;
  visits: Visit[];
}

export function ageOn(birthDate: string, now: Date): number {
  const [year = 0, month = 1, day = 1] = birthDate.split('-').map(Number);
  const beforeBirthday =
    now.getUTCMonth() + 1 < month || (now.getUTCMonth() + 1 === month && now.getUTCDate() < day);
  return now.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}
