import type { PlanDefinition } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import type { Rule } from './rule-model.ts';
import { parseRule } from './parse-rule.ts';

/**
 * Parsed rule versions: a version never changes, so each is read and parsed once per process.
 * The read in flight is kept too: the run jobs claimed together (`prefetchRuns`) ask for their
 * rules at once, and 50 runs of one rule were 50 audited reads of the same version.
 */
const parsed = new Map<string, Promise<Rule>>();

const keyOf = (ref: { id: string; version: string }) => `${ref.id}/${ref.version}`;

/** The rule exactly as it was at that version (a run keeps the version it started with). */
export function loadRule(repository: FhirRepository, ref: { id: string; version: string }): Promise<Rule> {
  const key = keyOf(ref);
  let rule = parsed.get(key);
  if (!rule) {
    const reading = repository.vread<PlanDefinition>('PlanDefinition', ref.id, ref.version).then(parseRule);
    // A failed read (the store unavailable) is not kept: the next run reads again.
    reading.catch(() => parsed.get(key) === reading && parsed.delete(key));
    parsed.set(key, (rule = reading));
  }
  return rule;
}

/** A rule version parsed elsewhere (the active rules' search): its runs then read nothing. */
export function keepParsedRule(rule: Rule): void {
  if (rule.version && !parsed.has(keyOf(rule))) parsed.set(keyOf(rule), Promise.resolve(rule));
}
