import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { seededRandom } from '../engine/train/estimate-u.ts';
import { createModelEngine } from '../model/model-engine.ts';
import { matchGrade, type MatchGrade } from './match-grade.ts';

/** Generated people (not any shared file): given names with nicknames, a day ≤ 12 for swaps. */
function people(count: number): Patient[] {
  const random = seededRandom(13);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const given = ['robert', 'william', 'elizabeth', 'margaret', 'katherine', 'james', 'thomas', 'patricia'];
  const syllables = ['ka', 'lo', 'men', 'dri', 'sa', 'vo', 'tur', 'bel', 'no', 'quin'];
  return Array.from({ length: count }, (_, i) => ({
    resourceType: 'Patient',
    id: `p${i}`,
    name: [{ family: pick(syllables) + pick(syllables) + pick(syllables), given: [pick(given)] }],
    birthDate: `${1940 + Math.floor(random() * 60)}-${pad(1 + Math.floor(random() * 9))}-${pad(13 + Math.floor(random() * 15))}`,
    gender: random() < 0.5 ? 'female' : 'male',
    telecom: [{ system: 'phone', value: `+44 7700 ${100_000 + Math.floor(random() * 899_999)}` }],
    address: [
      {
        line: [`${1 + i} ${pick(syllables)}${pick(syllables)} road`],
        city: 'Leeds',
        postalCode: `LS${i % 20} 4AB`,
      },
    ],
  }));
}
const pad = (n: number) => String(n).padStart(2, '0');
const nicknames: Record<string, string> = {
  robert: 'bob',
  william: 'bill',
  elizabeth: 'liz',
  margaret: 'peggy',
  katherine: 'kate',
  james: 'jim',
  thomas: 'tom',
  patricia: 'trish',
};
const family = (p: Patient) => p.name![0]!.family!;
const given = (p: Patient) => p.name![0]!.given![0]!;
const named = (p: Patient, g: string, f = family(p)): Patient => ({
  ...p,
  name: [{ family: f, given: [g] }],
});
const yearsLater = (p: Patient, years: number) =>
  `${Number(p.birthDate!.slice(0, 4)) + years}${p.birthDate!.slice(4)}`;

const variants: Record<string, (p: Patient) => Patient> = {
  nickname: (p) => named(p, nicknames[given(p)]!),
  'one-letter typo': (p) => named(p, given(p), family(p).slice(0, -1) + 'x'),
  'day/month transposed': (p) => {
    // Day ≥ 13 here, so make a date whose transposition is valid: the month becomes the day.
    const [y, m] = p.birthDate!.split('-');
    return { ...p, birthDate: `${y}-${m}-11`, meta: { tag: [{ code: `${y}-11-${m}` }] } };
  },
  'given/family swap, address agreeing': (p) => ({ ...named(p, family(p), given(p)), telecom: [] }),
  'new phone and address': (p) => ({
    ...p,
    telecom: [{ system: 'phone', value: '+44 7911 000111' }],
    address: [{ line: ['9 Elsewhere Lane'], city: 'York', postalCode: 'YO1 7HH' }],
  }),
  'changed family name': (p) => named(p, given(p), 'marriedname'),
  'initial for the given name': (p) => named(p, given(p)[0]!),
  twin: (p) => named(p, given(p) === 'james' ? 'thomas' : 'james'),
  'parent, 27 years older': (p) => ({ ...p, birthDate: yearsLater(p, -27) }),
  // A parent's record is keyed like anyone's: a typo in it is no evidence of "same person".
  'parent, 27 years older, a family-name typo': (p) => ({
    ...named(p, given(p), family(p).slice(0, -1) + 'x'),
    birthDate: yearsLater(p, -27),
  }),
  'namesake born 3 years later': (p) => ({
    ...p,
    birthDate: yearsLater(p, 3),
    telecom: [{ system: 'phone', value: '+44 7911 222333' }],
    address: [{ line: ['4 Other Street'], city: 'Hull', postalCode: 'HU1 2AA' }],
  }),
};

/** The day/month variant stores the transposed date in a tag: compare against the original so. */
function pairOf(person: Patient, name: string): [Patient, Patient] {
  const variant = variants[name]!(person);
  if (name !== 'day/month transposed') return [person, variant];
  return [
    { ...person, birthDate: variant.meta!.tag![0]!.code },
    { ...variant, meta: undefined },
  ];
}

const expected: [string, (grade: MatchGrade) => boolean, string][] = [
  ['nickname', (g) => g === 'certain', 'certain'],
  ['one-letter typo', (g) => g === 'certain', 'certain'],
  ['day/month transposed', (g) => g === 'certain', 'certain'],
  ['given/family swap, address agreeing', (g) => g === 'certain', 'certain'],
  ['new phone and address', (g) => g === 'certain' || g === 'probable', 'at least probable'],
  ['changed family name', (g) => g === 'certain' || g === 'probable', 'at least probable'],
  ['initial for the given name', (g) => g === 'certain' || g === 'probable', 'at least probable'],
  ['twin', (g) => g !== 'certain', 'never certain'],
  ['parent, 27 years older', (g) => g !== 'certain', 'never certain'],
  ['parent, 27 years older, a family-name typo', (g) => g !== 'certain', 'never certain'],
  ['namesake born 3 years later', (g) => g !== 'certain', 'never certain'],
];

test('grades for 200 generated people: typos certain, changed details probable, relatives never certain', () => {
  const engine = createModelEngine();
  for (const person of people(200)) {
    for (const [name, ok, wanted] of expected) {
      const [a, b] = pairOf(person, name);
      const outcome = engine.compare(a, b);
      const grade = matchGrade(outcome);
      assert.ok(
        ok(grade),
        `${name} (${given(person)} ${family(person)}): ${grade}, wanted ${wanted}; ${outcome.score} bits`,
      );
    }
  }
});

test('the score is a probability with the prior: near-certain evidence near 1, a relative far below', () => {
  const engine = createModelEngine();
  const [person] = people(1);
  const copy = engine.compare(person!, variants.nickname!(person!));
  assert.ok(copy.probability > 0.99, `${copy.probability}`);
  const twin = engine.compare(person!, variants.twin!(person!));
  assert.ok(twin.probability < 0.5, `a twin shares a household, not an identity: ${twin.probability}`);
  const changed = engine.compare(person!, variants['changed family name']!(person!));
  assert.ok(changed.probability < 0.99, `a changed family name is not certain: ${changed.probability}`);
});
