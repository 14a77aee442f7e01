import type { Resource } from '@medplum/fhirtypes';
import { holdEndOf, holds, releasedAmong, RESULT_TYPES, type HoldSetting } from '../access/index.ts';
import { absentUnlessUnavailable } from '../kernel/errors.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import type { FhirRepository } from '../store/index.ts';

/** The clinic's hold on results (`RESULT_HOLD_*`) with the clock it counts by. */
export function resultHoldSetting(deps: { config: Config; clock: Clock }): HoldSetting {
  const { config, clock } = deps;
  return {
    hold: {
      hours: config.resultHoldHours,
      categories: config.resultHoldCategories,
      codes: config.resultHoldCodes,
    },
    clock,
  };
}

/**
 * When a results-ready notice about these resources may go: the latest end of a hold on any
 * result it names that no clinician released, or undefined (now). Releasing the result brings
 * the notice forward (`releaseResult`), so she hears of a result exactly when she can see it.
 * A clinic that holds nothing (`RESULT_HOLD_HOURS` 0, the default) reads nothing: every
 * results-ready notice a rule sends passed here, each an audited read of the result.
 */
export async function noticeDueAt(
  repository: FhirRepository,
  order: { about: readonly string[]; setting: HoldSetting },
): Promise<string | undefined> {
  const { setting } = order;
  if (!holds(setting.hold)) return undefined;
  const now = setting.clock.now().getTime();
  const ends = new Map<string, number>();
  for (const ref of order.about) {
    const [type, id] = ref.split('/');
    if (!type || !id || !RESULT_TYPES.includes(type)) continue;
    const result = await repository.read<Resource>(type, id).catch(absentUnlessUnavailable);
    const end = result ? holdEndOf(result, setting.hold)?.getTime() : undefined;
    if (end !== undefined && end > now) ends.set(ref, end);
  }
  if (ends.size === 0) return undefined;
  const released = await releasedAmong(repository, [...ends.keys()]);
  const pending = [...ends].filter(([ref]) => !released.has(ref)).map(([, end]) => end);
  return pending.length === 0 ? undefined : new Date(Math.max(...pending)).toISOString();
}
