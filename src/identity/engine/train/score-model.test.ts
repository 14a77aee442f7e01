import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MatchRecord } from '../match-record.ts';
import { blockingKeysOf, scoreRecords, defaultSettings } from '../basic-engine.ts';
import { candidatePairs } from '../link/candidate-pairs.ts';
import { combinedKeysOf } from '../blocking-keys.ts';
import { seededRandom } from './estimate-u.ts';
import { settingsFromParameters } from './match-parameters.ts';
import { trainParameters } from './train-parameters.ts';

/**
 * A small population with many records a person (1–9, about 5: a practice's duplicates after
 * years of walk-ins), names drawn from short lists so strangers share them, and records that
 * lack fields, carry typos or another birth date — where random pairs hold many matches.
 */
function crowdedPopulation(people: number): { records: MatchRecord[]; person: number[] } {
  const random = seededRandom(11);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * random() * list.length)]!;
  const syllables = ['ka', 'lo', 'men', 'dri', 'sa', 'vo', 'tur', 'bel', 'no', 'quin', 'ra', 'ti'];
  const names = (count: number) =>
    Array.from({ length: count }, (_, n) => syllables[n % 12]! + syllables[Math.floor(n / 12) % 12]! + 'a');
  const [given, family] = [names(60), names(140).map((name) => name + 'son')];
  const typo = (word: string) => (word.length > 2 ? word.slice(0, -1) + 'q' : word);
  const sometimes = (p: number, value: string) => (random() < p ? '' : value);
  const records: MatchRecord[] = [];
  const person: number[] = [];
  for (let i = 0; i < people; i++) {
    const date = `${1930 + Math.floor(random() * 70)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
    const base = {
      given: pick(given),
      family: pick(family),
      date,
      postcode: `${1000 + Math.floor(random() * 40)}`,
    };
    const street = `${1 + Math.floor(random() * 90)} ${pick(family)} road`;
    for (let copy = 1 + Math.floor(random() * 9); copy > 0; copy--) {
      const otherDate = `${1930 + Math.floor(random() * 70)}${date.slice(4)}`;
      records.push({
        given: random() < 0.15 ? typo(base.given) : base.given,
        family: random() < 0.15 ? typo(base.family) : base.family,
        nameWords: [],
        birthDate: sometimes(0.1, random() < 0.25 ? otherDate : date),
        gender: '',
        phones: [],
        emails: [],
        postcode: sometimes(0.3, base.postcode),
        street: sometimes(0.3, random() < 0.2 ? typo(street) : street),
        city: sometimes(0.3, 'leeds'),
        birthPlace: '',
        identifiers: [],
      });
      person.push(i);
    }
  }
  return { records, person };
}

function trained(people: number) {
  const { records, person } = crowdedPopulation(people);
  const parameters = trainParameters(records, candidatePairs(records.map(combinedKeysOf)), {
    samples: 50_000,
  });
  return { records, person, parameters };
}

/** The truth the test knows: the share of strangers' pairs with one birth date, and λ. */
function truthOf(records: MatchRecord[], person: number[]) {
  let [agree, strangers, same] = [0, 0, 0];
  for (let i = 0; i < records.length; i++)
    for (let j = i + 1; j < records.length; j++) {
      if (person[i] === person[j]) same++;
      else if (records[i]!.birthDate && records[j]!.birthDate) {
        strangers++;
        if (records[i]!.birthDate === records[j]!.birthDate) agree++;
      }
    }
  return { uExactDate: agree / strangers, prior: same / ((records.length * (records.length - 1)) / 2) };
}

test('the score model learns u from strangers only: random pairs full of duplicates do not inflate it', () => {
  const { records, person, parameters } = trained(300);
  const truth = truthOf(records, person);
  const [, u] = (parameters.scoreWeights ?? parameters.weights).birthDate!.exact!;
  // From random pairs, 0.36% of them one person's: 1.9e-3, eighteen times the strangers' rate.
  assert.ok(u < truth.uExactDate * 2 && u > truth.uExactDate / 2, `u ${u}, strangers ${truth.uExactDate}`);
  const prior = parameters.prior!;
  assert.ok(Math.abs(prior / truth.prior - 1) < 0.2, `λ ${prior}, truly ${truth.prior}`);
});

test('search.score is calibrated where duplicates are many: each decile within 0.05 of its match rate', () => {
  const { records, person, parameters } = trained(300);
  const settings = settingsFromParameters(parameters, defaultSettings);
  const pairs = candidatePairs(records.map(blockingKeysOf));
  const scored = Array.from(pairs.left, (left, pair) => {
    const right = pairs.right[pair]!;
    const outcome = scoreRecords(records[left]!, records[right]!, settings);
    return { probability: outcome.probability, match: person[left] === person[right] ? 1 : 0 };
  }).sort((a, b) => a.probability - b.probability);
  for (let decile = 0; decile < 10; decile++) {
    const group = scored.slice(
      Math.floor((decile * scored.length) / 10),
      Math.floor(((decile + 1) * scored.length) / 10),
    );
    const mean = (of: (pair: (typeof group)[number]) => number) =>
      group.reduce((sum, pair) => sum + of(pair), 0) / group.length;
    const [score, rate] = [mean((pair) => pair.probability), mean((pair) => pair.match)];
    assert.ok(
      Math.abs(score - rate) <= 0.05,
      `decile ${decile + 1}: score ${score.toFixed(3)}, rate ${rate.toFixed(3)}`,
    );
  }
});
