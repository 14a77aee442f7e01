import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreRecords, defaultSettings } from '../engine/basic-engine.ts';
import type { MatchRecord } from '../engine/match-record.ts';
import { seededRandom } from '../engine/train/estimate-u.ts';
import { parseParameters, settingsFromParameters } from '../engine/train/match-parameters.ts';
import { trainWithDecisions, type LabelledPair } from './train-with-decisions.ts';

/**
 * People entered twice (the second copy with a surname typo), plus twins: same family name,
 * birth date, address and phone, another given name — the look-alikes staff reject.
 */
function population(
  people: number,
  twins: number,
): { records: MatchRecord[]; twinPairs: [number, number][] } {
  const random = seededRandom(11);
  const word = (n: number) =>
    Array.from({ length: n }, () => 'abcdefghiklmnoprstuvy'[Math.floor(random() * 21)]).join('');
  const records: MatchRecord[] = [];
  const twinPairs: [number, number][] = [];
  for (let i = 0; i < people; i++) {
    const person: MatchRecord = {
      ...{ given: word(5), family: word(7), nameWords: [], gender: random() < 0.5 ? 'male' : 'female' },
      birthDate: `${1930 + Math.floor(random() * 70)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      ...{ phones: [`+1555${1000000 + i}`], emails: [], postcode: `${1000 + Math.floor(random() * 50)}` },
      ...{ street: `${i} ${word(6)} street`, city: word(8), birthPlace: '', identifiers: [] },
    };
    records.push(person, { ...person, family: person.family.slice(0, 6) + 'x' });
    if (i < twins) {
      twinPairs.push([records.length - 2, records.length]);
      records.push({ ...person, given: word(6) });
    }
  }
  return { records, twinPairs };
}

test('a rejected look-alike pair scores lower after retraining with the decision', () => {
  const { records, twinPairs } = population(300, 40);
  const options = { samples: 20_000, now: new Date(0) };
  const before = settingsFromParameters(trainWithDecisions(records, [], options).parameters, defaultSettings);
  const rejected: LabelledPair[] = twinPairs.slice(0, 10).map(([a, b]) => ({ a, b, match: false }));
  const confirmed: LabelledPair[] = [{ a: 0, b: 1, match: true }];
  const retrained = trainWithDecisions(records, [...rejected, ...confirmed], options);
  const after = settingsFromParameters(
    parseParameters(JSON.stringify(retrained.parameters)),
    defaultSettings,
  );
  const [a, b] = twinPairs[0]!;
  const scoreBefore = scoreRecords(records[a]!, records[b]!, before).score;
  const scoreAfter = scoreRecords(records[a]!, records[b]!, after).score;
  assert.ok(scoreAfter < scoreBefore, `${scoreAfter} < ${scoreBefore}`);
  // Look-alikes staff never saw move the same way: the model learned the pattern, not the pair.
  const [c, d] = twinPairs.at(-1)!;
  assert.ok(
    scoreRecords(records[c]!, records[d]!, after).score <
      scoreRecords(records[c]!, records[d]!, before).score,
  );
  // True duplicates still link.
  assert.equal(scoreRecords(records[3]!, records[4]!, after).band, 'auto-link');
  assert.match(retrained.trainedOn, /1 confirmed and 10 rejected staff decisions/);
});

test('term-frequency tables keep only values seen more than once (the engine counts the rest as once)', () => {
  const { records } = population(50, 0);
  const { parameters } = trainWithDecisions(records, [], { samples: 2_000 });
  const family = parameters.termFrequencies!.family!;
  assert.equal(family.total, 100);
  assert.ok(Object.values(family.counts).every((count) => count > 1));
});

/**
 * Relatives the model takes for strangers: a record sharing a person's family name and postcode
 * but with another given name, birth date and street, no phone and no city.
 */
function addRelatives(records: MatchRecord[], relatives: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < relatives; i++) {
    const person = records[3 * i]!;
    const year = Number(person.birthDate.slice(0, 4)) + 27;
    const relative = { ...person, given: 'zoe', phones: [], street: `${i} other road`, city: '' };
    records.push({ ...relative, birthDate: `${year}-11-2${i % 8}` });
    pairs.push([3 * i, records.length - 1]);
  }
  return pairs;
}

test('decisions that surprise the model correct λ: links raise it, rejections lower it', () => {
  // Twins the model takes for one person (p ≈ 1), relatives it takes for strangers (p ≈ 0).
  const { records, twinPairs } = population(200, 20);
  const relatives = addRelatives(records, 20);
  const options = { samples: 20_000, now: new Date(0) };
  const decide = (pairs: [number, number][], match: boolean) =>
    trainWithDecisions(
      records,
      pairs.map(([a, b]) => ({ a, b, match })),
      options,
    ).parameters;
  const unlabelled = trainWithDecisions(records, [], options).parameters;
  assert.equal(unlabelled.priorFromDecisions, undefined);
  const linked = parseParameters(JSON.stringify(decide(relatives, true)));
  const rejected = decide(twinPairs, false);
  assert.equal(linked.priorFromDecisions?.decisions, 20);
  assert.ok(linked.priorFromDecisions!.shiftBits > 0, `${linked.priorFromDecisions!.shiftBits}`);
  assert.ok(linked.prior! > linked.priorFromDecisions!.unlabelledPrior);
  assert.ok(rejected.priorFromDecisions!.shiftBits < 0, `${rejected.priorFromDecisions!.shiftBits}`);
  assert.ok(rejected.prior! < rejected.priorFromDecisions!.unlabelledPrior);
});
