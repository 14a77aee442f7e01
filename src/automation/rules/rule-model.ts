import type { ExtractSpec } from '../batch/extract-spec.ts';
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
  /** `periodic`: when it fires (an RRULE in the clinic's zone) and whom it selects then (none: an extract rule). */
  schedule?: { rrule: string; cohort?: Cohort };
}

/** A search the cohort of a scheduled occurrence is (`Task?status=requested`). */
export interface Cohort {
  resourceType: string;
  params: [string, string][];
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
  /** Extract: what it writes at each occurrence (its parameters, checked when the rule was written). */
  extract?: ExtractSpec;
  /** Branch: the condition, and the steps when it is true (`then`) and when it is not (`else`). */
  branch?: { condition: string; then: RuleAction[]; else: RuleAction[] };
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
  /** A scheduled run: the occurrence (ISO instant) that selected this resource. */
  occurrence?: string;
}

/** The event's stable id: the same write replayed is the same event. */
export function eventKey(event: RuleEvent): string {
  return `${event.resourceType}/${event.id}/_history/${event.versionId}`;
}

/**
 * The run's idempotency key: one run per rule version and event; for a scheduled run, one per
 * rule, occurrence and resource (whatever version the resource or the rule has by then).
 */
export function runKey(rule: Rule, event: RuleEvent): string {
  if (event.occurrence)
    return `${occurrenceKey(rule.id, event.occurrence)}/${event.resourceType}/${event.id}`;
  return `${rule.id}/${rule.version}/${eventKey(event)}`;
}

/** One occurrence of a rule's schedule: it runs once (its record is the ledger). */
export function occurrenceKey(ruleId: string, occurrence: string): string {
  return `${ruleId}@${occurrence}`;
}

/** The rule's schedule trigger, when it has one (at most one per rule). */
export function scheduleOf(rule: Rule): Required<Pick<Trigger, 'schedule'>>['schedule'] | undefined {
  return rule.triggers.find((trigger) => trigger.schedule)?.schedule;
}
