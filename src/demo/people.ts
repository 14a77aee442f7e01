import type { Address } from '@medplum/fhirtypes';
import type { Random } from './random.ts';
import type { Channel } from './vocabulary/terminology.ts';
import {
  familyNames,
  femaleGivenNames,
  languages,
  maleGivenNames,
  streetNames,
  towns,
} from './vocabulary/names.ts';

/** A real (synthetic) human: the truth that one or more Patient records describe. */
export interface Person {
  /** Stable key of the person in the truth manifest (`person-0001`). */
  key: string;
  given: string;
  middle?: string;
  family: string;
  gender: 'female' | 'male';
  birthDate: string;
  phone: string;
  email?: string;
  address: Address;
  language: { code: string; display: string };
  /** The channel the person prefers for reminders. */
  channel: Channel;
  /** Key of the look-alike this person was made to resemble, and how. */
  lookAlikeOf?: { key: string; kind: 'twin' | 'same-name-different-birth-date' };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function randomPhone(random: Random): string {
  return `+1-541-555-${pad(random.int(200, 9999), 4)}`;
}

export function emailFor(random: Random, given: string, family: string): string {
  const local = `${given}.${family}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return `${local}${random.chance(0.4) ? random.int(1, 99) : ''}@${random.pick(['example.com', 'example.net', 'example.org'])}`;
}

function randomAddress(random: Random): Address {
  const [city, prefix] = random.pick(towns);
  return {
    use: 'home',
    line: [`${random.int(1, 240)} ${random.pick(streetNames)}`],
    city,
    state: 'OR',
    postalCode: `${prefix}${random.int(0, 9)}`,
    country: 'US',
  };
}

/** Birth date for an age drawn from the clinic's adult-heavy age mix. */
function randomBirthDate(random: Random, now: Date): string {
  const age = random.weighted([
    [random.int(2, 17), 10],
    [random.int(18, 39), 30],
    [random.int(40, 64), 35],
    [random.int(65, 92), 25],
  ] as const);
  const year = now.getUTCFullYear() - age - 1;
  return `${year}-${pad(random.int(1, 12), 2)}-${pad(random.int(1, 28), 2)}`;
}

export function randomPerson(random: Random, now: Date, index: number): Person {
  const gender = random.chance(0.52) ? 'female' : 'male';
  const given = random.pick(gender === 'female' ? femaleGivenNames : maleGivenNames);
  const family = random.pick(familyNames);
  const language = random.weighted<{ code: string; display: string }>(languages);
  const email = random.chance(0.8) ? emailFor(random, given, family) : undefined;
  return {
    key: `person-${pad(index + 1, 4)}`,
    given,
    middle: random.chance(0.3)
      ? random.pick(gender === 'female' ? femaleGivenNames : maleGivenNames)
      : undefined,
    family,
    gender,
    birthDate: randomBirthDate(random, now),
    phone: randomPhone(random),
    email,
    address: randomAddress(random),
    language: { code: language.code, display: language.display },
    channel: random.weighted([
      ['sms', 50],
      ['email', email ? 30 : 0],
      ['phone', 20],
    ] as const),
  };
}

/**
 * A different person who looks like `original`: a twin (same family, birth date, address and
 * phone, different given name) or a namesake born on another date. These are the pairs an MPI
 * must NOT merge.
 */
export function lookAlike(random: Random, original: Person, index: number): Person {
  const key = `person-${pad(index + 1, 4)}`;
  if (random.chance(0.5)) {
    const gender = random.chance(0.5) ? original.gender : original.gender === 'female' ? 'male' : 'female';
    const names = (gender === 'female' ? femaleGivenNames : maleGivenNames).filter(
      (name) => name !== original.given,
    );
    const given = random.pick(names);
    return {
      ...original,
      key,
      gender,
      given,
      middle: undefined,
      email: original.email ? emailFor(random, given, original.family) : undefined,
      lookAlikeOf: { key: original.key, kind: 'twin' },
    };
  }
  const shiftYears = random.pick([-30, -25, 1, 2, 20, 28]);
  const year = Number(original.birthDate.slice(0, 4)) + shiftYears;
  return {
    ...original,
    key,
    birthDate: `${Math.min(year, 2020)}${original.birthDate.slice(4, 8)}${pad(random.int(1, 28), 2)}`,
    phone: randomPhone(random),
    email: original.email ? emailFor(random, original.given, original.family) : undefined,
    address: randomAddress(random),
    lookAlikeOf: { key: original.key, kind: 'same-name-different-birth-date' },
  };
}
