import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisons } from '../comparisons.ts';
import type { MatchRecord } from '../match-record.ts';
import { scoreRecords, defaultSettings } from '../basic-engine.ts';
import { candidatePairs } from '../link/candidate-pairs.ts';
import { combinedKeysOf } from '../blocking-keys.ts';
import { estimateU, seededRandom } from './estimate-u.ts';
import { expectationMaximisation } from './expectation-maximisation.ts';
import { implausibilities, parseParameters, settingsFromParameters } from './match-parameters.ts';
import { trainParameters } from './train-parameters.ts';

/** A population of distinct people, each entered twice; the second copy has one typo. */
function population(size: number): MatchRecord[] {
  const random = seededRandom(3);
  const word = (n: number) =>
    Array.from({ length: n }, () => 'abcdefghiklmnoprstuvy'[Math.floor(random() * 21)]).join('');
  const records: MatchRecord[] = [];
  for (let i = 0; i < size; i++) {
    const year = 1930 + Math.floor(random() * 70);
    const date = `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
    const person: MatchRecord = {
      ...{ given: word(5), family: word(7), nameWords: [], gender: random() < 0.5 ? 'male' : 'female' },
      ...{ birthDate: date, phones: [], emails: [], postcode: `${1000 + Math.floor(random() * 50)}` },
      ...{ street: `${i} ${word(6)} street`, city: word(8), birthPlace: '', identifiers: [] },
    };
    records.push(person, { ...person, family: person.family.slice(0, 6) + 'x' });
  }
  return records;
}

const field = (name: string) => comparisons.findIndex((c) => c.field === name);

test('u from random pairs: exact birth dates are rare among strangers, differences common', () => {
  const u = estimateU(population(300), { samples: 20_000 });
  const date = u[field('birthDate')]!;
  assert.ok(date[0]! < 0.01);
  assert.ok(date.at(-1)! > 0.8);
});

test('EM finds the duplicates: m for an exact birth date near 1, match share near the truth', () => {
  const records = population(300);
  const pairs = candidatePairs(records.map(combinedKeysOf));
  const parameters = trainParameters(records, pairs, { samples: 20_000, now: new Date(0) });
  assert.ok(parameters.weights.birthDate!.exact![0] > 0.9);
  assert.ok(parameters.weights.family!.typo![0] > 0.8, 'every duplicate has a one-letter surname typo');
  const truePairs = 300 / pairs.left.length;
  assert.ok(
    Math.abs(parameters.matchProportion - truePairs) < 0.05,
    `${parameters.matchProportion} vs ${truePairs}`,
  );
  assert.deepEqual(implausibilities(parameters), []);
});

test('trained parameters survive a JSON round trip and link a duplicate', () => {
  const records = population(200);
  const trained = trainParameters(records, candidatePairs(records.map(combinedKeysOf)), { samples: 10_000 });
  const stored = parseParameters(JSON.stringify(trained));
  const settings = settingsFromParameters(stored, defaultSettings);
  assert.equal(scoreRecords(records[0]!, records[1]!, settings).band, 'auto-link');
  assert.equal(scoreRecords(records[0]!, records[2]!, settings).band, 'no-link');
  assert.throws(() => parseParameters(JSON.stringify({ ...trained, version: 99 })));
});

test('EM with u held fixed moves m towards the levels its likely matches show', () => {
  // Names and birth date agree on pairs 0–2 and disagree on 3–9; the rest are missing.
  const vectors = comparisons.map((c, index) =>
    Uint8Array.from({ length: 10 }, (_, pair) => (index > 2 ? 255 : pair < 3 ? 0 : c.levels.length - 1)),
  );
  const spread = (first: number, last: number) =>
    comparisons.map((c) =>
      c.levels.map((_, l) =>
        l === 0 ? first : l === c.levels.length - 1 ? last : (1 - first - last) / (c.levels.length - 2),
      ),
    );
  const [u, m] = [spread(0.01, 0.95), spread(0.5, 0.2)];
  const result = expectationMaximisation(vectors, { u, m });
  assert.ok(result.m[0]![0]! > 0.9, `${result.m[0]}`);
  assert.ok(Math.abs(result.matchProportion - 0.3) < 0.05, `${result.matchProportion}`);
});

test('a model whose "matches" disagree on name and birth date (a household class) is refused', () => {
  const records = population(50);
  const trained = trainParameters(records, candidatePairs(records.map(combinedKeysOf)), { samples: 5_000 });
  const household = structuredClone(trained);
  for (const name of ['given', 'family', 'birthDate']) household.weights[name]!.different![0] = 0.7;
  assert.equal(implausibilities(household).length, 3);
});
