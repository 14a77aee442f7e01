import type { Clock } from '../kernel/clock.ts';

/**
 * Runs `task` every day at `hourUtc`:00 UTC in this process. Not durable on purpose: a missed
 * night is caught up by the next one, and the task (a full recomputation) is idempotent.
 */
export function scheduleNightly(
  when: { hourUtc: number; clock: Clock },
  task: () => Promise<unknown>,
): { cancel(): void } {
  const { hourUtc, clock } = when;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const now = clock.now();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
    if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
    timer = setTimeout(() => void task().finally(arm), next.getTime() - now.getTime());
    timer.unref();
  };
  arm();
  return { cancel: () => clearTimeout(timer) };
}
