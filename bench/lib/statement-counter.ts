import pg from 'pg';

/** What one `Client.query` call carries: a text, a config, or a pipeline of several statements. */
function textsOf(first: unknown): string[] {
  if (typeof first === 'string') return [first];
  const config = first as { text?: string; statements?: { text: string }[] } | undefined;
  // `PipelinedQueries` (src/store/sql/pipelined-queries.ts): several statements, one round trip.
  if (Array.isArray(config?.statements)) return config.statements.map((each) => each.text);
  return [config?.text ?? ''];
}

/**
 * Counts the SQL statements this process sends to PostgreSQL, by statement text (whitespace
 * folded, cut at 70 characters), and the round trips that carry them (one per `Client.query`
 * call: a pipeline is one): figures the machine's load does not move, unlike throughput.
 * Wraps `pg.Client.prototype.query`, which every pooled query goes through; bench use only.
 */
export function countStatements(): {
  reset(): void;
  total(): number;
  roundTrips(): number;
  top(n: number): [string, number][];
} {
  const counts = new Map<string, number>();
  let roundTrips = 0;
  const original = pg.Client.prototype.query;
  const counting = function (this: pg.Client, ...args: unknown[]) {
    roundTrips++;
    for (const text of textsOf(args[0])) {
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  pg.Client.prototype.query = counting as typeof original;
  return {
    reset: () => {
      counts.clear();
      roundTrips = 0;
    },
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    roundTrips: () => roundTrips,
    top: (n) => [...counts].sort((a, b) => b[1] - a[1]).slice(0, n),
  };
}
