import type { Random } from './random.ts';
import { emailFor, randomPhone, type Person } from './people.ts';
import { nicknames } from './vocabulary/names.ts';

/** The ways a second record of the same person drifts from the first (seed article, "Make sure all records belong to the right patient"). */
export type NoiseKind =
  'nickname' | 'typo' | 'phone-changed' | 'email-changed' | 'day-month-swapped' | 'moved';

const keyboardNeighbours: Record<string, string> = {
  a: 's',
  e: 'r',
  i: 'o',
  o: 'p',
  n: 'm',
  r: 't',
  s: 'd',
  t: 'y',
  l: 'k',
  m: 'n',
  u: 'i',
  h: 'j',
};

/** One realistic keying error: transposed letters, a dropped or doubled letter, or a neighbouring key. */
export function typo(random: Random, word: string): string {
  if (word.length < 4) return `${word}${word.slice(-1)}`;
  const at = random.int(1, word.length - 2);
  switch (random.int(0, 3)) {
    case 0:
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return word.slice(0, at) + word[at] + word.slice(at);
    default: {
      const letter = word[at]?.toLowerCase() ?? 'a';
      return word.slice(0, at) + (keyboardNeighbours[letter] ?? 'e') + word.slice(at + 1);
    }
  }
}

function applicableKinds(person: Person): NoiseKind[] {
  const kinds: NoiseKind[] = ['typo', 'phone-changed', 'moved'];
  if (nicknames[person.given]) kinds.push('nickname', 'nickname');
  if (person.email) kinds.push('email-changed');
  const month = Number(person.birthDate.slice(5, 7));
  const day = Number(person.birthDate.slice(8, 10));
  if (day <= 12 && day !== month) kinds.push('day-month-swapped');
  return kinds;
}

function applyNoise(random: Random, person: Person, kind: NoiseKind): Person {
  switch (kind) {
    case 'nickname':
      return { ...person, given: random.pick(nicknames[person.given] ?? [person.given]), middle: undefined };
    case 'typo':
      return random.chance(0.6)
        ? { ...person, family: typo(random, person.family) }
        : { ...person, given: typo(random, person.given) };
    case 'phone-changed':
      return { ...person, phone: randomPhone(random) };
    case 'email-changed':
      return { ...person, email: emailFor(random, person.given, person.family) };
    case 'day-month-swapped': {
      const [year, month, day] = person.birthDate.split('-');
      return { ...person, birthDate: `${year}-${day}-${month}` };
    }
    case 'moved':
      return {
        ...person,
        address: {
          ...person.address,
          line: [`${random.int(1, 240)} Willow Way`],
          postalCode: `${person.address.postalCode?.slice(0, 4)}${random.int(0, 9)}`,
        },
      };
  }
}

/** The person as another source recorded them: one or two kinds of drift, never zero. */
export function noisyCopy(random: Random, person: Person): { recorded: Person; noise: NoiseKind[] } {
  const kinds = applicableKinds(person);
  const noise: NoiseKind[] = [];
  const count = random.chance(0.4) ? 2 : 1;
  while (noise.length < count) {
    const kind = random.pick(kinds);
    if (!noise.includes(kind)) noise.push(kind);
  }
  const recorded = noise.reduce((current, kind) => applyNoise(random, current, kind), person);
  return { recorded, noise };
}
