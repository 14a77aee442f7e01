import pg from 'pg';

/**
 * Counts the SQL statements this process sends to PostgreSQL, by statement text (whitespace
 * folded, cut at 70 characters): a figure the machine's load does not move, unlike throughput.
 * Wraps `pg.Client.prototype.query`, which every pooled query goes through; bench use only.
 */
export function countStatements(): { reset(): void; total(): number; top(n: number): [string, number][] } {
  const counts = new Map<string, number>();
  const original = pg.Client.prototype.query;
  const counting = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  pg.Client.prototype.query = counting as typeof original;
  return {
    reset: () => counts.clear(),
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    top: (n) => [...counts].sort((a, b) => b[1] - a[1]).slice(0, n),
  };
}
