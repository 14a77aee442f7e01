import type { ActionType, ChangeKind } from './rule-profile.ts';

/** A rule as the engine runs it: parsed and checked from its PlanDefinition. */
export interface Rule {
  /** PlanDefinition id. */
  id: string;
  /** meta.versionId of the PlanDefinition the rule was parsed from ('' for an unsaved one). */
  version: string;
  title: string;
  status: string;
  /** When this version was written: it acts on writes from then on (not on an import before it). */
  since?: string;
  triggers: Trigger[];
  /** FHIRPath, all true for the rule to act (`%resource`, `%previous`, `%event`). */
  conditions: string[];
  actions: RuleAction[];
}

export interface Trigger {
  resourceType: string;
  on: ChangeKind[];
  /** FHIRPath over the version written; `%previous` is the version before it. */
  expression?: string;
}

export interface RuleAction {
  type: ActionType;
  title?: string;
  /** `dynamicValue`: element → FHIRPath giving its value. */
  values: Record<string, string>;
  /** Wait: milliseconds. */
  waitMs?: number;
  /** Wait: FHIRPath over the re-read triggering resource that ends the run at wake-up. */
  stopWhen?: string;
}

/** One committed write, as the rules see it (a change event, or a version from history). */
export interface RuleEvent {
  resourceType: string;
  id: string;
  versionId: string;
  action: ChangeKind;
  /** `Patient/{id}` the write belongs to, when any. */
  patient?: string;
  occurredAt: string;
}

/** The event's stable id: the same write replayed is the same event. */
export function eventKey(event: RuleEvent): string {
  return `${event.resourceType}/${event.id}/_history/${event.versionId}`;
}

/** The run's idempotency key: one run per rule version and event. */
export function runKey(rule: Rule, event: RuleEvent): string {
  return `${rule.id}/${rule.version}/${eventKey(event)}`;
}
