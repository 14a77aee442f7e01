import pg from 'pg';

/** What the counter sees of a call: a text, a query config, or a pipeline of statements. */
type Submitted = string | { text?: string; statements?: { text: string }[] };

/**
 * Counts the SQL statements this process sends to PostgreSQL, by statement text (whitespace
 * folded, cut at 70 characters): a figure the machine's load does not move, unlike throughput.
 * Wraps `pg.Client.prototype.query`, which every pooled query goes through; a pipeline
 * (`src/store/sql/pipelined-queries.ts`: several statements in one round trip) counts each of its
 * statements, and one round trip. Bench use only.
 */
export function countStatements(): {
  reset(): void;
  total(): number;
  roundTrips(): number;
  top(n: number): [string, number][];
} {
  const counts = new Map<string, number>();
  let trips = 0;
  const original = pg.Client.prototype.query;
  const counting = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as Submitted;
    const texts =
      typeof first === 'string' ? [first] : (first?.statements?.map((s) => s.text) ?? [first?.text ?? '']);
    trips++;
    for (const text of texts) {
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  pg.Client.prototype.query = counting as typeof original;
  return {
    reset: () => (counts.clear(), (trips = 0)),
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    roundTrips: () => trips,
    top: (n) => [...counts].sort((a, b) => b[1] - a[1]).slice(0, n),
  };
}
