import type { PlanDefinition } from '@medplum/fhirtypes';
import type { AutomationDeps } from './automation-deps.ts';
import { evaluateRule, planAction, type PlannedAction } from './evaluate-rule.ts';
import { historyEvents } from './history-events.ts';
import { loadWrite } from './load-write.ts';
import { parseRule } from './parse-rule.ts';
import { eventKey, type Rule, type RuleEvent } from './rule-model.ts';
import { ruleHash } from './rule-hash.ts';
import { recordDryRun } from './dry-run-review.ts';

/** One write the rule would have acted on, or what stopped it. */
export interface DryRunItem {
  event: string;
  patient?: string;
  /** What it would do now, in order; after a wait, the rest is listed with `after`. */
  actions: (PlannedAction & { after?: string; note?: string })[];
  stoppedBy?: string;
}

export interface DryRunReport {
  rule: { id?: string; hash: string; title: string };
  since: string;
  eventsExamined: number;
  wouldAct: DryRunItem[];
  stopped: DryRunItem[];
}

/**
 * The rule (new or changed) run against the writes of the last `days` days without acting:
 * for whom it would do what, and what stopped it (a condition, a failed expression, consent,
 * a wait). Looking at it is recorded: activation asks for it.
 */
export async function dryRunRule(
  deps: AutomationDeps,
  request: { plan: PlanDefinition; days: number; limit?: number },
): Promise<DryRunReport> {
  const rule = { ...parseRule(request.plan), version: request.plan.meta?.versionId ?? 'draft' };
  const since = new Date(deps.clock.now().getTime() - request.days * 86_400_000).toISOString();
  const types = [...new Set(rule.triggers.map((t) => t.resourceType))];
  const report: DryRunReport = {
    rule: {
      ...(request.plan.id ? { id: request.plan.id } : {}),
      hash: ruleHash(request.plan),
      title: rule.title,
    },
    since,
    eventsExamined: 0,
    wouldAct: [],
    stopped: [],
  };
  for (const resourceType of types)
    for (const event of await historyEvents(deps.repository, {
      resourceType,
      since,
      limit: request.limit ?? 5000,
    })) {
      report.eventsExamined++;
      const item = await dryRunEvent(deps, { rule, event });
      if (item) (item.stoppedBy ? report.stopped : report.wouldAct).push(item);
    }
  const summary = `${report.wouldAct.length} would act, ${report.stopped.length} stopped, of ${report.eventsExamined} writes since ${since}`;
  await recordDryRun(deps.repository, {
    hash: report.rule.hash,
    rule: request.plan.id ? `PlanDefinition/${request.plan.id}` : undefined,
    summary,
    at: deps.clock.now().toISOString(),
  });
  return report;
}

async function dryRunEvent(
  deps: AutomationDeps,
  { rule, event }: { rule: Rule; event: RuleEvent },
): Promise<DryRunItem | undefined> {
  const scope = await loadWrite(deps.repository, event);
  const item: DryRunItem = {
    event: eventKey(event),
    ...(event.patient ? { patient: event.patient } : {}),
    actions: [],
  };
  try {
    const evaluation = evaluateRule(rule, { ...scope, event });
    if (!evaluation.triggered) return undefined;
    if (!evaluation.matched) return { ...item, stoppedBy: evaluation.stoppedBy };
    let after: string | undefined;
    for (let index = 0; index < rule.actions.length; index++) {
      const planned = planAction(rule, index, { ...scope, event });
      item.actions.push({
        ...planned,
        ...(after ? { after } : {}),
        ...(await consentNote(deps, { planned, event })),
      });
      if (planned.type === 'wait') after = waitNote(rule, index);
    }
    return item;
  } catch (error) {
    return { ...item, stoppedBy: `rule failed: ${(error as Error).message}` };
  }
}

function waitNote(rule: Rule, index: number): string {
  const action = rule.actions[index]!;
  const hours = Math.round((action.waitMs ?? 0) / 3_600_000);
  return `a wait of ${hours} h${action.stopWhen ? `, unless ${action.stopWhen}` : ''}`;
}

/** Engagement's word on consent for a send (the CommunicationRequest is made either way; delivery asks again). */
async function consentNote(
  deps: AutomationDeps,
  { planned, event }: { planned: PlannedAction; event: RuleEvent },
): Promise<{ note?: string }> {
  if (planned.type !== 'send' || !event.patient) return {};
  if (!deps.consentFor) return { note: 'consent: not known to the dry run' };
  const verdict = await deps.consentFor(event.patient, String(planned.values.purpose));
  return verdict.permitted ? {} : { note: `consent: ${verdict.reason} (engagement will not send)` };
}
