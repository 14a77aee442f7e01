import pg from 'pg';

/**
 * Counts `Client.query` calls of every `pg` client from now until `stop()`: one per round trip
 * to server PostgreSQL (a pipeline of statements is one call). For tests of how many round trips
 * a piece of work takes, a figure the machine's load does not move.
 */
export function countRoundTrips(): { count(): number; stop(): void } {
  const original = pg.Client.prototype.query;
  let count = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return { count: () => count, stop: () => void (pg.Client.prototype.query = original) };
}
