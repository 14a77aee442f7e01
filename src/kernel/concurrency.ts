/**
 * Runs `work` for every item with at most `limit` in flight, and waits for all of them. The
 * first failure is thrown once every started item has settled, so no work is left running
 * behind the caller's back.
 */
export async function forEachConcurrently<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  const queue = [...items];
  const failures: unknown[] = [];
  const lane = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, lane));
  if (failures.length > 0) throw failures[0];
}
