import { scheduleKeyedJob, type ChangeEvent, type EventHandler } from '../../store/index.ts';
import { RUN_QUEUE, type AutomationDeps } from './automation-deps.ts';
import { evaluateRule } from './evaluate-rule.ts';
import { loadWrite, patientOf } from './load-write.ts';
import { runKey, type Rule, type RuleEvent } from './rule-model.ts';
import type { RunPayload } from './run-rule-job.ts';
import type { RuleCache } from './active-rules.ts';

/** Writes no rule watches: the run log itself and the audit trail (no rule loops on its own record). */
const IGNORED = new Set(['GuidanceResponse', 'AuditEvent', 'Provenance']);

/**
 * Rules react to committed writes on the durable event stream (DESIGN rule 3), never on the
 * write path: each event whose type a rule watches is read once, and every rule it triggers
 * gets a keyed run on the job queue. Delivery is at least once; the run key makes it once.
 */
export function matchRulesOnChange(deps: AutomationDeps, cache: RuleCache): EventHandler {
  return {
    subscriber: 'automation-rules',
    batchSize: 500,
    handle: (event) => matchEvent(deps, { cache, event }),
  };
}

async function matchEvent(
  deps: AutomationDeps,
  { cache, event }: { cache: RuleCache; event: ChangeEvent },
): Promise<void> {
  if (event.resourceType === 'PlanDefinition') cache.invalidate();
  if (IGNORED.has(event.resourceType)) return;
  const { rules } = await cache.get();
  const watching = rules.filter(
    (rule) =>
      rule.triggers.some((t) => t.resourceType === event.resourceType && t.on.includes(event.action)) &&
      !before(event, rule),
  );
  if (watching.length === 0) return;
  const ruleEvent = ruleEventOf(event);
  const scope = await loadWrite(deps.repository, ruleEvent);
  for (const rule of watching)
    if (actsOrBroken(rule, scope)) await enqueueRun(deps, { rule, event: ruleEvent });
}

/** Written before the rule version (to the second: the outbox keeps whole seconds on some paths). */
function before(event: ChangeEvent, rule: Rule): boolean {
  if (!rule.since) return false;
  return Date.parse(event.occurredAt) < Math.floor(Date.parse(rule.since) / 1000) * 1000;
}

/**
 * Only a rule that acts gets a run (a write meets every rule watching its type: recording each
 * "condition false" would write a run per rule per write; the dry run shows what stopped a
 * rule). An expression that throws is a run to record as failed, not an event to retry.
 */
function actsOrBroken(rule: Rule, scope: Parameters<typeof evaluateRule>[1]): boolean {
  try {
    return evaluateRule(rule, scope).matched;
  } catch {
    return true;
  }
}

export async function enqueueRun(
  deps: AutomationDeps,
  { rule, event }: { rule: Rule; event: RuleEvent },
): Promise<void> {
  const payload: RunPayload = { rule: { id: rule.id, version: rule.version }, event };
  await scheduleKeyedJob(deps.db, {
    queue: RUN_QUEUE,
    key: runKey(rule, event),
    payload,
    runAt: deps.clock.now().toISOString(),
  });
}

export function ruleEventOf(event: ChangeEvent): RuleEvent {
  const patient = patientOf(event);
  return {
    resourceType: event.resourceType,
    id: event.id,
    versionId: event.versionId,
    action: event.action,
    occurredAt: event.occurredAt,
    ...(patient ? { patient } : {}),
  };
}
