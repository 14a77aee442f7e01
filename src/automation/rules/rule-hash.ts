import { createHash } from 'node:crypto';
import type { PlanDefinition } from '@medplum/fhirtypes';

/** Elements that do not change what a rule does: who it is, its bookkeeping and its status. */
const NOT_BEHAVIOUR = new Set(['id', 'meta', 'status', 'text', 'date', 'version', 'type']);

/**
 * What the rule does, as a hash: a dry run looked at is valid for activating exactly the rule
 * it ran, whatever its id or status; any change to triggers, conditions or actions needs a new one.
 */
export function ruleHash(plan: PlanDefinition): string {
  const behaviour = Object.fromEntries(Object.entries(plan).filter(([key]) => !NOT_BEHAVIOUR.has(key)));
  return createHash('sha256').update(stableJson(behaviour)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
