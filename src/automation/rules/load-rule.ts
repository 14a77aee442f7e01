import type { PlanDefinition } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import type { Rule } from './rule-model.ts';
import { parseRule } from './parse-rule.ts';

/** Parsed rule versions: a version never changes, so each is parsed once per process. */
const parsed = new Map<string, Rule>();

/** The rule exactly as it was at that version (a run keeps the version it started with). */
export async function loadRule(
  repository: FhirRepository,
  ref: { id: string; version: string },
): Promise<Rule> {
  const key = `${ref.id}/${ref.version}`;
  let rule = parsed.get(key);
  if (!rule) {
    rule = parseRule(await repository.vread<PlanDefinition>('PlanDefinition', ref.id, ref.version));
    parsed.set(key, rule);
  }
  return rule;
}
