// Reliability of `search.score` (the calibrated match probability): candidate pairs sorted by
// probability and cut into ten equal-count deciles (as the Hosmer–Lemeshow table does); in each,
// the mean probability against the share of pairs that truly are one person.

export interface DecileRow {
  decile: number;
  pairs: number;
  meanScore: number;
  matchRate: number;
}

export function reliabilityDeciles(probabilities: Float64Array, truth: Uint8Array): DecileRow[] {
  const order = [...probabilities.keys()].sort((a, b) => probabilities[a]! - probabilities[b]!);
  return Array.from({ length: 10 }, (_, d) => {
    const group = order.slice(Math.floor((d * order.length) / 10), Math.floor(((d + 1) * order.length) / 10));
    const sum = (of: (pair: number) => number) => group.reduce((total, pair) => total + of(pair), 0);
    const size = Math.max(group.length, 1);
    return {
      decile: d + 1,
      pairs: group.length,
      meanScore: sum((pair) => probabilities[pair]!) / size,
      matchRate: sum((pair) => truth[pair]!) / size,
    };
  });
}

/** One line per dataset: each decile as mean score / match rate, ✗ where they differ by over 0.05. */
export function reliabilityLine(name: string, rows: DecileRow[]): string {
  const cells = rows.map(({ meanScore, matchRate }) => {
    const off = Math.abs(meanScore - matchRate) > 0.05 ? ' ✗' : '';
    return `${meanScore.toFixed(3)} / ${matchRate.toFixed(3)}${off}`;
  });
  const worst = Math.max(...rows.map((row) => Math.abs(row.meanScore - row.matchRate)));
  return `| ${name} | ${rows[0]?.pairs ?? 0} | ${cells.join(' | ')} | ${worst.toFixed(3)} |`;
}

export const reliabilityHeader = [
  '| dataset | pairs per decile | ' +
    Array.from({ length: 10 }, (_, d) => `decile ${d + 1}`).join(' | ') +
    ' | largest gap |',
  '| --- | ---: |' + ' --- |'.repeat(10) + ' ---: |',
];
