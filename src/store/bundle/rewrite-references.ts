import { ThroughlineError } from '../../kernel/errors.ts';
import { findSingleMatch } from '../find-matches.ts';
import type { TxContext } from '../store-context.ts';
import type { EntryPlan } from './plan-entries.ts';

const conditionalReference = /^([A-Z][A-Za-z]+)\?(.+)$/;

/**
 * Rewrites, in every resource a Bundle writes, references to other entries (`urn:uuid:…` or
 * any entry fullUrl) into `Type/id`, and conditional references (`Patient?identifier=…`) into
 * the one resource they select. An unresolvable reference fails the whole Bundle.
 */
export async function rewriteReferences(
  ctx: TxContext,
  plans: EntryPlan[],
  idMap: Map<string, string>,
): Promise<void> {
  const conditional = new Map<string, string>();
  for (const plan of plans) {
    for (const write of plan.writes) {
      if (!write.resource) continue;
      const found: { holder: Record<string, unknown>; value: string }[] = [];
      collectReferenceHolders(write.resource, found);
      for (const { holder, value } of found) {
        holder.reference = await resolveReference(ctx, value, { idMap, conditional, index: plan.index });
      }
    }
  }
}

/** What a reference resolves against, and the entry it is in (named in errors). */
interface ReferenceLookup {
  /** Each entry's `fullUrl` → its `Type/id`. */
  idMap: Map<string, string>;
  /** Conditional references resolved so far in this Bundle → their `Type/id`. */
  conditional: Map<string, string>;
  index: number;
}

async function resolveReference(ctx: TxContext, value: string, lookup: ReferenceLookup): Promise<string> {
  const { idMap, conditional, index } = lookup;
  const mapped = idMap.get(value);
  if (mapped) return mapped;
  if (value.startsWith('urn:uuid:') || value.startsWith('urn:oid:')) {
    throw new ThroughlineError('INVALID_REQUEST', `Reference "${value}" does not match any entry fullUrl`, {
      expression: `Bundle.entry[${index}].resource`,
    });
  }
  const match = conditionalReference.exec(value);
  if (!match) return value;
  let resolved = conditional.get(value);
  if (!resolved) {
    const target = await findSingleMatch(ctx, match[1]!, match[2]!);
    if (!target) {
      throw new ThroughlineError('INVALID_REQUEST', `Conditional reference "${value}" matches no resource`, {
        expression: `Bundle.entry[${index}].resource`,
      });
    }
    resolved = `${match[1]}/${target.id}`;
    conditional.set(value, resolved);
  }
  return resolved;
}

function collectReferenceHolders(
  value: unknown,
  into: { holder: Record<string, unknown>; value: string }[],
): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferenceHolders(item, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.reference === 'string') into.push({ holder: record, value: record.reference });
  for (const [key, child] of Object.entries(record)) {
    if (key !== 'reference' && typeof child === 'object') collectReferenceHolders(child, into);
  }
}
