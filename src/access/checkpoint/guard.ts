import { ThroughlineError, isThroughlineError } from '../../kernel/errors.ts';
import type { SqlExecutor } from '../../store/index.ts';
import type { AuditEntry } from '../audit.ts';
import type { Interaction } from '../scopes.ts';
import type { AccessPolicy } from '../policy/access-policy.ts';

/** Thrown inside a guarded call when data exists but is not the caller's to see: audited as denied, answered as not found. */
export class Hidden extends Error {}

export interface GuardedCall<T> {
  action: string;
  resourceType: string;
  /** The interaction the role matrix must allow before anything is read (none: checked per part). */
  interaction?: Interaction;
  run: () => Promise<T>;
  /** What the audit record says about the result (its patients). */
  describe: (value: T) => Partial<AuditEntry>;
  resourceId?: string;
  /** A write inside the caller's transaction is audited in it: both commit, or neither. */
  auditTo?: SqlExecutor;
}

export type Guard = <T>(call: GuardedCall<T>) => Promise<T>;
export type Audit = (entry: AuditEntry, auditTo?: SqlExecutor) => Promise<void>;

/**
 * The checkpoint's first and last hooks around every call: may the caller do this at all
 * (the role matrix, before any data is read), and the audit record of what happened —
 * success, denied, hidden or failed — awaited before anything is returned (audit fails closed).
 */
export function guardOf(policy: AccessPolicy, audit: Audit): Guard {
  return async <T>(call: GuardedCall<T>): Promise<T> => {
    const { action, resourceType, resourceId, auditTo } = call;
    const denied = { action, resourceType, resourceId, patients: [], outcome: 'denied' as const };
    if (call.interaction && !policy.canInteract(resourceType, call.interaction)) {
      await audit(denied, auditTo);
      throw new ThroughlineError('FORBIDDEN', `Not allowed: ${action} ${resourceType}`);
    }
    try {
      const value = await call.run();
      const described = call.describe(value);
      await audit(
        { action, resourceType, resourceId, patients: [], outcome: 'success', ...described },
        auditTo,
      );
      return value;
    } catch (error) {
      if (error instanceof Hidden) {
        await audit({ ...denied, detail: 'hidden' }, auditTo);
        throw new ThroughlineError('NOT_FOUND', `${resourceType}/${resourceId ?? ''} not found`);
      }
      // Unexpected errors are audited too: every attempt leaves a trace. Inside the caller's
      // transaction the trace would roll back with it (and after an SQL error could not even be
      // written): the caller, which rolls back, retries on its own and that attempt is audited.
      if (auditTo) throw error;
      const detail = isThroughlineError(error) ? error.code : 'INTERNAL';
      await audit({ action, resourceType, resourceId, patients: [], outcome: 'failure', detail });
      throw error;
    }
  };
}
