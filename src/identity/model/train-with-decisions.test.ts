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

test('decisions correct λ where the model is unsure: links raise it, rejections lower it', () => {
  const { records, twinPairs } = population(200, 30);
  const options = { samples: 20_000, now: new Date(0) };
  const decide = (match: boolean) =>
    trainWithDecisions(
      records,
      twinPairs.slice(0, 20).map(([a, b]) => ({ a, b, match })),
      options,
    ).parameters;
  const unlabelled = trainWithDecisions(records, [], options).parameters;
  assert.equal(unlabelled.priorFromDecisions, undefined);
  const linked = parseParameters(JSON.stringify(decide(true)));
  const rejected = decide(false);
  assert.equal(linked.priorFromDecisions?.decisions, 20);
  assert.ok(linked.priorFromDecisions!.shiftBits > 0, `${linked.priorFromDecisions!.shiftBits}`);
  assert.ok(linked.prior! > linked.priorFromDecisions!.unlabelledPrior);
  assert.ok(rejected.priorFromDecisions!.shiftBits < 0, `${rejected.priorFromDecisions!.shiftBits}`);
  assert.ok(rejected.prior! < rejected.priorFromDecisions!.unlabelledPrior);
});
