// Public face of the automation module (layer 3, issue 17): rules and connectors.
export * from './subscriptions/index.ts';
export * from './hl7-out/index.ts';

// Rules (src/automation/rules)
export type {
  AutomationDeps,
  RuleOutreachOrder,
  ConsentVerdict,
  RuleHl7Order,
  RuleHl7Result,
} from './rules/automation-deps.ts';
export { RUN_QUEUE, OCCURRENCE_QUEUE } from './rules/automation-deps.ts';
export type { WebhookPolicy } from './rules/post-webhook.ts';
export type { Rule, RuleEvent } from './rules/rule-model.ts';
export { parseRule } from './rules/parse-rule.ts';
export { evaluateRule, isTriggered, type Evaluation } from './rules/evaluate-rule.ts';
export { saveRule } from './rules/save-rule.ts';
export { RuleCache, loadActiveRules } from './rules/active-rules.ts';
export { matchRulesOnChange } from './rules/match-on-change.ts';
export { runRuleJobs, runRule } from './rules/run-rule-job.ts';
export { prefetchRuns } from './rules/prefetch-runs.ts';
export { fireDueSchedules, type TickMemory } from './rules/fire-schedules.ts';
export { runOccurrenceJobs, runOccurrence } from './rules/run-occurrence.ts';
export { listRuns, type RunQuery } from './rules/run-log.ts';
export { patientNames, withPatientNames } from './rules/name-patients.ts';
export type { RuleRun, ActionOutcome } from './rules/run-record.ts';
export { dryRunRule, type DryRunReport, type DryRunItem } from './rules/dry-run.ts';
export { RULE_PROFILE, ACTION_SYSTEM, RECIPE_TAG, RULE_TYPE_TOKEN } from './rules/rule-profile.ts';
export { installRecipes, loadRecipes } from './rules/recipes.ts';
export { writeExtract, type ExtractRequest, type ExtractWritten } from './batch/write-extract.ts';
