import type { Resource } from '@medplum/fhirtypes';
import type { Clock } from '../../kernel/clock.ts';
import type { FhirRepository } from '../../store/index.ts';
import { heldResults } from './held-results.ts';
import { holds, RESULT_TYPES, type ResultHold } from './result-hold.ts';

/** The clinic's hold on results, for one request of one caller. */
export interface HoldGate {
  /** Whether the hold binds this caller: a patient or her proxy, when the clinic holds anything. */
  readonly applies: boolean;
  /** Reads which of her results are on hold (once per request). Before `hides` and `hiddenIds`. */
  prepare(): Promise<void>;
  /** Whether this resource is a result on hold for her. */
  hides(resource: Resource): boolean;
  /** The ids of this type on hold for her: the store leaves them out of searches, chains and `_has`. */
  hiddenIds(resourceType: string): readonly string[];
}

/** What the checkpoint composes a hold gate from. */
export interface HoldSetting {
  hold: ResultHold;
  clock: Clock;
}

/**
 * The hold is the clinic's, on what reaches the patient: it binds one-patient callers (the
 * patient and anyone acting for her), never staff or systems. Evaluated per request with the
 * unscoped store, like consent.
 */
export function holdGate(
  repository: FhirRepository,
  options: { setting: HoldSetting | undefined; ownOnly: boolean; patients: ReadonlySet<string> },
): HoldGate {
  const { setting, ownOnly, patients } = options;
  const applies = ownOnly && !!setting && holds(setting.hold);
  let loading: Promise<Set<string>> | undefined;
  let held: Set<string> | undefined;
  const loaded = (): Set<string> => {
    // A check before the read would show what should be hidden: fail closed, loudly.
    if (!held) throw new Error('The result hold was asked before it was read');
    return held;
  };
  return {
    applies,
    async prepare() {
      if (!applies || held) return;
      loading ??= heldResults(repository, {
        patients: [...patients],
        hold: setting!.hold,
        now: setting!.clock.now(),
      });
      held = await loading;
    },
    hides: (resource) =>
      applies &&
      RESULT_TYPES.includes(resource.resourceType) &&
      loaded().has(`${resource.resourceType}/${resource.id}`),
    hiddenIds(resourceType) {
      if (!applies || !RESULT_TYPES.includes(resourceType)) return [];
      const prefix = `${resourceType}/`;
      return [...loaded()].filter((ref) => ref.startsWith(prefix)).map((ref) => ref.slice(prefix.length));
    },
  };
}
