import type { FieldExplanation } from '../review/review-task.ts';
import { comparisons } from './comparisons.ts';
import type { MatchRecord } from './match-record.ts';
import { termFrequencyAdjustment, type TermFrequencies } from './term-frequency.ts';

/**
 * Fellegi–Sunter comparison levels per field. Each level's weight is log2(m/u): m the
 * probability of the level among true matches, u among random pairs. These hand-set values
 * come from the record-linkage literature and were checked on the demo clinic's known
 * duplicates; they are the default until parameters trained on the data (train/) replace them.
 */
export type MatchWeights = Record<string, Record<string, [m: number, u: number]>>;

const place = (): Record<string, [number, number]> => ({
  exact: [0.8, 0.05],
  typo: [0.05, 0.005],
  similar: [0.03, 0.01],
  different: [0.12, 0.935],
});

export const defaultWeights: MatchWeights = {
  family: {
    exact: [0.88, 0.01],
    swapped: [0.01, 0.0001],
    typo: [0.05, 0.003],
    similar: [0.02, 0.01],
    phonetic: [0.02, 0.01],
    different: [0.03, 0.97],
  },
  given: {
    exact: [0.82, 0.02],
    swapped: [0.01, 0.0002],
    nickname: [0.08, 0.002],
    typo: [0.03, 0.004],
    similar: [0.02, 0.01],
    phonetic: [0.005, 0.01],
    initial: [0.02, 0.05],
    different: [0.03, 0.92],
  },
  birthDate: {
    exact: [0.93, 0.003],
    typo: [0.04, 0.002],
    'day-month-swapped': [0.01, 0.0002],
    'within-month': [0.005, 0.002],
    'same-year': [0.005, 0.03],
    different: [0.01, 0.967],
  },
  gender: { same: [0.98, 0.5], different: [0.02, 0.5] },
  phone: { shared: [0.6, 0.0005], typo: [0.05, 0.001], different: [0.35, 0.9985] },
  email: {
    shared: [0.5, 0.0002],
    'same-user': [0.1, 0.0005],
    similar: [0.05, 0.001],
    different: [0.35, 0.998],
  },
  postcode: { exact: [0.75, 0.05], typo: [0.05, 0.01], district: [0.05, 0.1], different: [0.15, 0.84] },
  street: { exact: [0.5, 0.005], typo: [0.1, 0.002], similar: [0.1, 0.01], different: [0.3, 0.983] },
  city: place(),
  birthPlace: place(),
  identifier: { shared: [0.4, 0.00001], typo: [0.05, 0.0001], 'same-system-different': [0.05, 0.2] },
};

const round = (x: number) => Math.round(x * 100) / 100;

function levelWeight(weights: MatchWeights, field: string, level: string): [m: number, u: number] {
  return weights[field]?.[level] ?? defaultWeights[field]![level]!;
}

/** What fields are weighed with (the engine settings have both). */
export interface FieldScoring {
  /** m and u per field and level; the hand-set `defaultWeights` when not given. */
  weights?: MatchWeights;
  /** Value counts per field; without them no term-frequency adjustment. */
  termFrequencies?: TermFrequencies;
}

/**
 * Per-field levels and weights; a field missing on either side contributes nothing. With
 * term frequencies, an exact match weighs by how rare the shared value is.
 */
export function compareFields(
  a: MatchRecord,
  b: MatchRecord,
  scoring: FieldScoring = {},
): FieldExplanation[] {
  const { weights = defaultWeights, termFrequencies } = scoring;
  const out: FieldExplanation[] = [];
  for (const comparison of comparisons) {
    const level = comparison.level(a, b);
    if (level === undefined) continue;
    const [m, u] = levelWeight(weights, comparison.field, level);
    let weight = Math.log2(m / u);
    const table = termFrequencies?.[comparison.field];
    // A swap of given and family name is an exact match written crosswise: on common names it
    // weighs less in the same way.
    if (table && comparison.termValue && (level === comparison.levels[0] || level === 'swapped')) {
      const uExact = levelWeight(weights, comparison.field, comparison.levels[0]!)[1];
      weight += termFrequencyAdjustment(uExact, table, comparison.termValue(a));
    }
    out.push({ field: comparison.field, level, weight: round(weight) });
  }
  return out;
}
