import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import { codeAsWords } from '../../shared/fhir/code-words.ts';
import { typeLabel } from '../../shared/fhir/describe.ts';

/** A rule as the page reads it: a PlanDefinition of the automation-rule profile. */
export interface RulePlan {
  resourceType: 'PlanDefinition';
  id: string;
  title?: string;
  name?: string;
  status: 'draft' | 'active' | 'retired' | 'unknown';
  meta?: { versionId?: string; lastUpdated?: string; tag?: { code?: string }[] };
  action?: {
    trigger?: { type?: string; name?: string; data?: { type?: string }[] }[];
    action?: { code?: { coding?: { code?: string }[] }[]; title?: string }[];
  }[];
}

/** One action's outcome in a run (`GET /api/automation/rules/{id}/runs`). */
export interface ActionOutcome {
  index: number;
  step?: string;
  type: string;
  branch?: 'then' | 'else';
  outcome: 'done' | 'failed' | 'waiting' | 'stopped';
  detail?: string;
  result?: string;
  file?: string;
  rows?: number;
  bytes?: number;
  at: string;
}

export interface RuleRun {
  id?: string;
  key: string;
  rule: { id: string; version: string; title: string };
  event: string;
  patient?: string;
  status: 'success' | 'failure' | 'in-progress';
  reason?: string;
  actions: ActionOutcome[];
  at: string;
}

export interface DryRunItem {
  event: string;
  patient?: string;
  actions: { index: number; type: string; step?: string; note?: string; after?: string }[];
  stoppedBy?: string;
}

/** `POST /api/automation/rules/{id}/$dry-run`: what the rule would have done, nothing acted on. */
export interface DryRunReport {
  rule: { id?: string; hash: string; title: string };
  since: string;
  eventsExamined: number;
  schedule?: { zone: string; next: { at: string; local: string }[]; cohortSize: number };
  wouldAct: DryRunItem[];
  stopped: DryRunItem[];
}

export function useRules() {
  return useQuery({
    queryKey: ['automation', 'rules'],
    queryFn: () => api<{ rules: RulePlan[] }>('/api/automation/rules'),
  });
}

/** A rule's runs, newest first (`count` 1: its last run). */
export function useRuns(ruleId: string, count = 50) {
  return useQuery({
    queryKey: ['automation', 'runs', ruleId, count],
    queryFn: () =>
      api<{ runs: RuleRun[] }>(`/api/automation/rules/${encodeURIComponent(ruleId)}/runs?_count=${count}`),
    refetchInterval: 30_000,
  });
}

export const DRY_RUN_DAYS = 30;

export function useDryRun(ruleId: string) {
  return useMutation({
    mutationKey: ['automation', 'dry-run', ruleId],
    mutationFn: () =>
      post<DryRunReport>(
        `/api/automation/rules/${encodeURIComponent(ruleId)}/$dry-run?days=${DRY_RUN_DAYS}`,
        {},
      ),
  });
}

/** Writes the rule as `active`; the server refuses unless a dry run of exactly this rule was looked at. */
export function useActivate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (plan: RulePlan) =>
      api<RulePlan>(`/api/automation/rules/${encodeURIComponent(plan.id)}`, {
        method: 'PUT',
        body: JSON.stringify({ ...plan, status: 'active' }),
      }),
    onSettled: () => client.invalidateQueries({ queryKey: ['automation'] }),
  });
}

export function ruleTitle(plan: RulePlan): string {
  return plan.title ?? plan.name ?? plan.id;
}

/** "Diagnostic report changed", "On a schedule", "Patient reply": what starts the rule, in words. */
export function triggerSummary(plan: RulePlan): string {
  const words: Record<string, string> = {
    'data-added': 'created',
    'data-modified': 'updated',
    'data-removed': 'deleted',
    'data-changed': 'changed',
  };
  return (plan.action?.[0]?.trigger ?? [])
    .map((trigger) => {
      if (trigger.type === 'periodic') return 'On a schedule';
      // The server names its events by code only (`patient-reply`, rule-profile.ts NAMED_EVENTS).
      if (trigger.type === 'named-event') return codeAsWords(trigger.name ?? 'event');
      const type = trigger.data?.[0]?.type;
      return `${type ? typeLabel(type) : 'Record'} ${words[trigger.type ?? ''] ?? trigger.type ?? ''}`;
    })
    .join(', ');
}

/** The action codes of a rule, in order ("send, wait, task"). */
export function actionSummary(plan: RulePlan): string {
  return (plan.action?.[0]?.action ?? [])
    .map((action) => action.code?.[0]?.coding?.[0]?.code ?? '?')
    .join(', ');
}
