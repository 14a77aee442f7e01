// Identity accuracy and speed (issue 4), evaluated as Splink does: every true pair counts, and
// a true pair that blocking never produced is a miss. Datasets: the generated demo clinic
// (always), FEBRL 1–4 and Splink's fake_1000 and historical_50k from ../shared/data when present
// (each one absent is said NOT RUN on stderr, naming the path looked at).
// Each dataset is linked end to end: blocking, training (u from random pairs, m by EM, term
// frequencies; the score model's m, u and λ by EM over every pair) on that dataset alone, then
// scoring every candidate pair.
//   npm run bench:identity
import { combinedKeysOf } from '../src/identity/engine/blocking-keys.ts';
import {
  blockingKeysOf,
  defaultSettings,
  scoreRecords,
  type EngineSettings,
} from '../src/identity/engine/basic-engine.ts';
import { candidatePairs, type CandidatePairs } from '../src/identity/engine/link/candidate-pairs.ts';
import { implausibilities, settingsFromParameters } from '../src/identity/engine/train/match-parameters.ts';
import { trainParameters } from '../src/identity/engine/train/train-parameters.ts';
import {
  demoClinic,
  fake1000,
  febrl,
  historical50k,
  SHARED_FILES,
  type Dataset,
} from './lib/identity-datasets.ts';
import { notRunWithout } from './lib/shared-data.ts';
import { bestThreshold, metrics, truePairCount, type Metrics } from './lib/identity-evaluate.ts';
import { reliabilityDeciles, reliabilityHeader, reliabilityLine } from './lib/identity-reliability.ts';
import { largestGap, simulateReviewer } from './lib/simulated-reviewer.ts';
import { shiftPrior } from '../src/identity/engine/train/prior-from-decisions.ts';

interface Scored {
  scores: Float64Array;
  probabilities: Float64Array;
  autoLinked: Uint8Array;
  inReview: Uint8Array;
  truth: Uint8Array;
}

function scoreAll(dataset: Dataset, pairs: CandidatePairs, settings: EngineSettings): Scored {
  const n = pairs.left.length;
  const scored = {
    scores: new Float64Array(n),
    probabilities: new Float64Array(n),
    autoLinked: new Uint8Array(n),
    inReview: new Uint8Array(n),
    truth: new Uint8Array(n),
  };
  for (let pair = 0; pair < n; pair++) {
    const [i, j] = [pairs.left[pair]!, pairs.right[pair]!];
    const outcome = scoreRecords(dataset.records[i]!, dataset.records[j]!, settings);
    scored.scores[pair] = outcome.score;
    scored.probabilities[pair] = outcome.probability;
    scored.autoLinked[pair] = outcome.band === 'auto-link' ? 1 : 0;
    scored.inReview[pair] = outcome.band === 'review' ? 1 : 0;
    scored.truth[pair] = dataset.clusters[i] === dataset.clusters[j] ? 1 : 0;
  }
  return scored;
}

function autoLinkMetrics({ autoLinked, truth }: Scored, truePairs: number): Metrics {
  let linked = 0;
  let correct = 0;
  autoLinked.forEach((flag, pair) => {
    linked += flag;
    correct += flag & truth[pair]!;
  });
  return metrics(correct, linked, truePairs);
}

const f = (x: number) => x.toFixed(4);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const reliability: string[] = [];
const reviewed: string[] = [];

/** Reviewer samples simulated per dataset; the table shows the first, the last column all. */
const REVIEWERS = 5;
const DECISIONS = 300;

function reviewedLine(name: string, scored: Scored, prior: number): string {
  const runs = Array.from({ length: REVIEWERS }, (_, seed) =>
    simulateReviewer(scored, { decisions: DECISIONS, seed: seed + 1 }),
  );
  const [first] = runs;
  const gaps = runs.map((run) => largestGap(run.heldOut)).sort((a, b) => a - b);
  const label =
    `${name} (${first!.decisions} decisions, ${first!.links} linked; shift ${first!.shiftBits.toFixed(2)} bits: ` +
    `λ ${prior.toExponential(2)} → ${shiftPrior(prior, first!.shiftBits).toExponential(2)})`;
  const line = reliabilityLine(label, first!.heldOut);
  return `${line} ${gaps[Math.floor(REVIEWERS / 2)]!.toFixed(3)} / ${gaps.at(-1)!.toFixed(3)} |`;
}

function run(dataset: Dataset): string {
  const t0 = performance.now();
  const sideOf = dataset.sides ? (i: number) => dataset.sides![i] : undefined;
  const pairs = candidatePairs(dataset.records.map(blockingKeysOf), { sideOf });
  const t1 = performance.now();
  const trainingPairs = candidatePairs(dataset.records.map(combinedKeysOf), { sideOf });
  const parameters = trainParameters(dataset.records, trainingPairs, { sideOf, now: new Date(0) });
  const t2 = performance.now();
  const problems = implausibilities(parameters);
  const settings = problems.length ? defaultSettings : settingsFromParameters(parameters, defaultSettings);
  const trained = scoreAll(dataset, pairs, settings);
  const t3 = performance.now();
  const handSet = scoreAll(dataset, pairs, defaultSettings);
  const truePairs = truePairCount(dataset);
  const blocked = trained.truth.reduce((sum, t) => sum + t, 0);
  const chosen = autoLinkMetrics(trained, truePairs);
  const best = bestThreshold(trained.scores, trained.truth, truePairs);
  const handBest = bestThreshold(handSet.scores, handSet.truth, truePairs);
  const prior = (settings.prior ?? 0).toExponential(2);
  const name = `${dataset.name} (λ ${prior}${problems.length ? ', hand-set' : ''})`;
  reliability.push(reliabilityLine(name, reliabilityDeciles(trained.probabilities, trained.truth)));
  reviewed.push(reviewedLine(dataset.name, trained, settings.prior ?? 0));
  return [
    '',
    problems.length
      ? `${dataset.name} (trained model refused: ${problems.join('; ')}; hand-set weights)`
      : dataset.name,
    dataset.records.length,
    truePairs,
    `${f(blocked / truePairs)} (${pairs.left.length} pairs)`,
    `${f(chosen.precision)} / ${f(chosen.recall)} / **${f(chosen.f1)}** (${chosen.falsePositives} false links)`,
    `${f(best.f1)} at ${best.threshold?.toFixed(1)}`,
    `${f(handBest.f1)} / ${f(autoLinkMetrics(handSet, truePairs).f1)}`,
    `${s(t1 - t0)} / ${s(t2 - t1)} / ${s(t3 - t2)} = ${s(t3 - t0)}`,
    '',
  ]
    .join(' | ')
    .trim();
}

console.log(
  `| dataset | records | true pairs | blocking recall (candidates) | auto-link band (≥ ${defaultSettings.autoLink}, no contradiction): precision / recall / F1 | best F1 at threshold | hand-set weights: best F1 / auto-link F1 | blocking / training / scoring = total |`,
);
console.log('| --- | ---: | ---: | ---: | --- | --- | --- | --- |');
const only = process.argv.slice(2);
/** Whether a dataset's files are missing (said NOT RUN on stderr, with the path looked at). */
const absent = (key: string): boolean =>
  ((SHARED_FILES as Record<string, readonly string[]>)[key] ?? []).some((file) =>
    notRunWithout(file, { name: `bench/identity.ts (${key})`, loads: `the ${key} data set` }),
  );
const loaders = {
  demo: demoClinic,
  febrl1: () => febrl(1),
  febrl2: () => febrl(2),
  febrl3: () => febrl(3),
  febrl4: () => febrl(4),
  fake1000,
  historical50k,
};
for (const [key, load] of Object.entries(loaders)) {
  if (only.length > 0 && !only.includes(key)) continue;
  console.log(
    absent(key) ? `| ${key} | NOT RUN: its data is absent (see stderr) | | | | | | |` : run(load()),
  );
}
console.log(
  '\nReliability of search.score: candidate pairs in ten equal-count deciles by score; each cell is mean score / observed match rate (✗: more than 0.05 apart). λ: the prior, the probability that two random records are one person.\n',
);
console.log([...reliabilityHeader, ...reliability].join('\n'));
console.log(
  `\nAfter staff decisions: a simulated reviewer decides ${DECISIONS} review-band pairs (by the truth), λ is corrected from those decisions as training with decisions does, and the reliability is measured on the other pairs only (held out). The table shows reviewer sample 1; the last column is the largest gap over ${REVIEWERS} reviewer samples (median / worst).\n`,
);
console.log(
  [
    reliabilityHeader[0] + ` largest gap, ${REVIEWERS} reviewers: median / worst |`,
    reliabilityHeader[1] + ' ---: |',
    ...reviewed,
  ].join('\n'),
);
