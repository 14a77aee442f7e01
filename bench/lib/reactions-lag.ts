import type { SqlDatabase } from '../../src/store/index.ts';

/** The platform's event subscribers (the reactions to committed writes). */
export const REACTION_SUBSCRIBERS = [
  'identity-match-on-write',
  'identity-merge-requests',
  'journey-recompute',
];

/** How many committed events each reaction has not handled yet. */
export async function reactionsBehind(db: SqlDatabase): Promise<{ subscriber: string; events: number }[]> {
  const behind = await db.query<{ subscriber: string; events: string }>(
    `SELECT n.subscriber, (SELECT count(*) FROM change_event e
       WHERE s.subscriber IS NULL OR (e.tx_id, e.seq) > (s.last_tx_id, s.last_seq))::text AS events
     FROM unnest($1::text[]) AS n(subscriber) LEFT JOIN event_subscription s USING (subscriber)`,
    [REACTION_SUBSCRIBERS],
  );
  return behind.rows.map((row) => ({ subscriber: row.subscriber, events: Number(row.events) }));
}

/**
 * How long after now the reactions (identity, journey) had handled every event, or how far
 * behind they still were after `limitSeconds`: they run behind the feed by design (a durable
 * queue absorbs bursts), and this says by how much.
 */
export async function waitForCatchUp(
  db: SqlDatabase,
  limitSeconds: number,
): Promise<{ seconds: number; behind?: string }> {
  const started = performance.now();
  for (;;) {
    const behind = await reactionsBehind(db);
    const seconds = (performance.now() - started) / 1000;
    if (behind.every((row) => row.events === 0)) return { seconds };
    if (seconds > limitSeconds)
      return { seconds, behind: behind.map((row) => `${row.subscriber} ${row.events} events`).join(', ') };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
