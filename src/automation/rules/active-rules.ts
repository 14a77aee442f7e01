import type { Bundle, PlanDefinition } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import type { Rule } from './rule-model.ts';
import { keepParsedRule } from './load-rule.ts';
import { parseRule } from './parse-rule.ts';
import { ECA_RULE, PLAN_TYPE_SYSTEM } from './rule-profile.ts';

/** The active rules, and the ones that could not be read (a rule written around the API). */
export interface ActiveRules {
  rules: Rule[];
  invalid: { id: string; reason: string }[];
}

/** Every active automation rule (PlanDefinition of type eca-rule), parsed. */
export async function loadActiveRules(repository: FhirRepository): Promise<ActiveRules> {
  const bundle: Bundle = await repository.search({
    resourceType: 'PlanDefinition',
    params: [
      ['status', 'active'],
      ['type', `${PLAN_TYPE_SYSTEM}|${ECA_RULE}`],
      ['_count', '1000'],
    ],
  });
  const active: ActiveRules = { rules: [], invalid: [] };
  for (const entry of bundle.entry ?? []) {
    const plan = entry.resource as PlanDefinition;
    try {
      const rule = parseRule(plan);
      keepParsedRule(rule);
      active.rules.push(rule);
    } catch (error) {
      active.invalid.push({ id: plan.id ?? '', reason: (error as Error).message });
    }
  }
  return active;
}

/**
 * The active rules, read again only after a PlanDefinition was written: most writes meet the
 * rules without a query (the write path's overhead is one lookup per event type).
 */
export class RuleCache {
  private current: Promise<ActiveRules> | undefined;
  /** The rules of `current` once it has been read (undefined while it is read again). */
  private loaded: ActiveRules | undefined;
  private readonly repository: FhirRepository;

  constructor(repository: FhirRepository) {
    this.repository = repository;
  }

  get(): Promise<ActiveRules> {
    if (!this.current) {
      const current = loadActiveRules(this.repository);
      this.current = current;
      current.then(
        (rules) => this.current === current && (this.loaded = rules),
        () => this.current === current && (this.current = undefined),
      );
    }
    return this.current;
  }

  /**
   * The types of the writes some active rule watches, and PlanDefinition (a rule written);
   * undefined while the rules are read again: every type then.
   */
  watchedTypes(): string[] | undefined {
    if (!this.loaded) return undefined;
    const watched = this.loaded.rules.flatMap((rule) => rule.triggers.map((trigger) => trigger.resourceType));
    return ['PlanDefinition', ...new Set(watched)];
  }

  invalidate(): void {
    this.current = undefined;
    this.loaded = undefined;
  }
}
