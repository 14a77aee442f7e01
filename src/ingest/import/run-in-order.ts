/**
 * Plans items strictly one after another, in order, and runs the planned work with at most
 * `concurrency` jobs in flight. Import needs both: planning a file claims the shared ids it
 * creates (first file wins, so runs are repeatable), while writing overlaps so this process
 * and the database stay busy at the same time.
 */
export async function runPlannedInOrder<T>(
  items: T[],
  options: {
    plan: (item: T) => Promise<() => Promise<void>>;
    concurrency: number;
    /** Called as each item's work finishes (progress). */
    onDone: () => void;
  },
): Promise<void> {
  const { plan, concurrency, onDone } = options;
  const inFlight = new Set<Promise<void>>();
  for (const item of items) {
    const work = await plan(item);
    const job: Promise<void> = work().finally(() => {
      onDone();
      inFlight.delete(job);
    });
    inFlight.add(job);
    if (inFlight.size >= Math.max(concurrency, 1)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}
