/**
 * Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * adjacent characters), bounded by `limit`: only cells within `limit` of the diagonal are
 * computed and a result over the limit comes back as `limit + 1`. Comparison levels only ask
 * "at most one or two edits?", and this is called for millions of pairs, so rows are reused.
 */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

export function damerauLevenshtein(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  const bound = Math.min(limit, Math.max(a.length, b.length));
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  if (!a.length || !b.length) return Math.max(a.length, b.length);
  if (rows[0].length <= b.length + 1) rows = [0, 1, 2].map(() => new Int32Array(b.length * 2 + 2)) as never;
  const far = bound + 1;
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j <= bound ? j : far;
  for (let i = 1; i <= a.length; i++) {
    current.fill(far, 0, b.length + 1);
    if (i <= bound) current[0] = i;
    let rowMin = current[0]!;
    const [low, high] = [Math.max(1, i - bound), Math.min(b.length, i + bound)];
    for (let j = low; j <= high; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, before[j - 2]! + 1);
      current[j] = Math.min(value, far);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > bound) return far;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, far);
}

/** True when `a` and `b` are at most `edits` Damerau–Levenshtein edits apart. */
export const withinEdits = (a: string, b: string, edits: number): boolean =>
  damerauLevenshtein(a, b, edits) <= edits;
