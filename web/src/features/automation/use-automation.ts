import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import type { PlanExpression, PlanStep, PlanTrigger } from './plan-facts.ts';

/** A rule as the page reads it: a PlanDefinition of the automation-rule profile. */
export interface RulePlan {
  resourceType: 'PlanDefinition';
  id: string;
  title?: string;
  name?: string;
  status: 'draft' | 'active' | 'retired' | 'unknown';
  meta?: { versionId?: string; lastUpdated?: string; tag?: { code?: string }[] };
  action?: {
    trigger?: PlanTrigger[];
    condition?: { kind?: string; expression?: PlanExpression }[];
    action?: PlanStep[];
  }[];
}

/** `GET /api/automation/rules`: the rules, and the clinic's time zone the page tells times in. */
export interface RuleList {
  rules: RulePlan[];
  timeZone?: string;
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
  /** The patient's name, when the caller may see that patient (the server decides). */
  patientName?: string;
  status: 'success' | 'failure' | 'in-progress';
  reason?: string;
  actions: ActionOutcome[];
  at: string;
}

export interface DryRunAction {
  index: number;
  type: string;
  title?: string;
  values: Record<string, unknown>;
  waitMs?: number;
  step?: string;
  branch?: 'then' | 'else';
  note?: string;
  after?: string;
}

export interface DryRunItem {
  event: string;
  patient?: string;
  patientName?: string;
  actions: DryRunAction[];
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
    queryFn: () => api<RuleList>('/api/automation/rules'),
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

/** The rule's steps (the automation-rule profile keeps them under its one top-level action). */
export function stepsOf(plan: RulePlan): PlanStep[] {
  return plan.action?.[0]?.action ?? [];
}

/** Every condition the rule has (its triggers' and its own), to find the one a dry run names. */
export function conditionsOf(plan: RulePlan): PlanExpression[] {
  const top = plan.action?.[0];
  return [
    ...(top?.trigger ?? []).flatMap((t) => (t.condition ? [t.condition] : [])),
    ...(top?.condition ?? []).flatMap((c) => (c.expression ? [c.expression] : [])),
  ];
}
