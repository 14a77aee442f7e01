import type { Subscription } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { ChangeEvent } from '../../store/index.ts';
import type { Target } from './notify-event.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { ownerOf } from './subscription-model.ts';

export const versionOf = (target: Target): string | undefined => target.subscription.meta?.versionId;

/**
 * The active Subscriptions a worker delivers for, kept by version so a delivery run need not
 * read (and audit) its Subscription every time. Why a kept version is still the one to use:
 * a run reads its events first, and any write of the Subscription that commits after a run read
 * it has a transaction id at or above the horizon that run's events were read below, so its
 * change event comes after that run's cursor — in a later run's batch, where `sameAsStream`
 * sees it and reads the Subscription again. The version travels in the job's payload (the job is
 * keyed, one per Subscription), so a worker on another node that holds another version, or
 * none, reads it. Notifications thus follow the Subscription's versions in commit order.
 */
export class SubscriptionCache {
  private readonly targets = new Map<string, Target>();
  private readonly deps: SubscriptionDeps;

  constructor(deps: SubscriptionDeps) {
    this.deps = deps;
  }

  /** The Subscription as active target: kept when it is the version named, else read. */
  async target(id: string, version: string | undefined): Promise<Target | undefined> {
    const kept = this.targets.get(id);
    if (kept && version !== undefined && versionOf(kept) === version) return kept;
    return this.read(id);
  }

  /** The target again, read when these events (read after its cursor) wrote its Subscription. */
  async sameAsStream(target: Target, events: ChangeEvent[]): Promise<Target | undefined> {
    const { id } = target.subscription;
    const kept = Number(versionOf(target));
    // A version up to the kept one (its creation, its activation) is already in it.
    const written = events.some(
      (e) => e.resourceType === 'Subscription' && e.id === id && !(Number(e.versionId) <= kept),
    );
    return written ? this.read(id) : target;
  }

  private async read(id: string): Promise<Target | undefined> {
    const subscription = await this.deps.repository
      .read<Subscription>('Subscription', id)
      .catch(absentUnlessUnavailable);
    const owner = subscription && ownerOf(subscription);
    if (subscription?.status !== 'active' || !owner) {
      this.targets.delete(id);
      return undefined;
    }
    const target = { subscription: subscription as Target['subscription'], owner };
    this.targets.set(id, target);
    return target;
  }
}
