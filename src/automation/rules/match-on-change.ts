import {
  backgroundYield,
  batchSubscriber,
  scheduleKeyedJobs,
  type ChangeEvent,
  type EventHandler,
  type KeyedJob,
} from '../../store/index.ts';
import { RUN_QUEUE, type AutomationDeps } from './automation-deps.ts';
import { evaluateRule } from './evaluate-rule.ts';
import { patientOf } from './load-write.ts';
import { loadWrites } from './load-writes.ts';
import { runKey, type Rule, type RuleEvent } from './rule-model.ts';
import type { RunPayload } from './run-rule-job.ts';
import type { RuleCache } from './active-rules.ts';

/** Writes no rule watches: the run log itself and the audit trail (no rule loops on its own record). */
const IGNORED = new Set(['GuidanceResponse', 'AuditEvent', 'Provenance']);

/**
 * Rules react to committed writes on the durable event stream (DESIGN rule 3), never on the
 * write path. Per batch of events: the ones some rule watches are read together (one audited
 * history read per type, `loadWrites`), each rule is evaluated on each, and every run a rule
 * calls for goes on the job queue in one statement. Delivery is at least once; the run key
 * makes it once. A batch that fails is retried event by event (the worker's `handle`).
 */
export function matchRulesOnChange(deps: AutomationDeps, cache: RuleCache): EventHandler {
  return {
    ...batchSubscriber({
      subscriber: 'automation-rules',
      batchSize: 500,
      handleBatch: (events) => matchEvents(deps, { cache, events }),
    }),
    // A lane with no rule watching the types just written reads nothing (the worker's idle probe).
    resourceTypes: () => cache.watchedTypes(),
  };
}

async function matchEvents(
  deps: AutomationDeps,
  { cache, events }: { cache: RuleCache; events: ChangeEvent[] },
): Promise<void> {
  // A rule written in this batch applies from its own version's time on (`before`).
  if (events.some((event) => event.resourceType === 'PlanDefinition')) cache.invalidate();
  const { rules } = await cache.get();
  const watched = events
    .filter((event) => !IGNORED.has(event.resourceType))
    .map((event) => ({ event: ruleEventOf(event), rules: rulesWatching(rules, event) }))
    .filter((each) => each.rules.length > 0);
  if (watched.length === 0) return;
  const scopes = await loadWrites(
    deps.repository,
    watched.map((each) => each.event),
  );
  const runAt = deps.clock.now().toISOString();
  const runs: KeyedJob[] = [];
  for (const [i, { event, rules: watching }] of watched.entries()) {
    for (const rule of watching)
      if (actsOrBroken(rule, scopes[i]!)) runs.push(runJob({ rule, event, runAt }));
    // FHIRPath over a batch of 500 writes holds the event loop for long: in turns while requests
    // are in flight (issue 17: the write path's throughput with rules on).
    await backgroundYield();
  }
  await scheduleKeyedJobs(deps.db, runs);
}

function rulesWatching(rules: Rule[], event: ChangeEvent): Rule[] {
  const at = Date.parse(event.occurredAt);
  return rules.filter(
    (rule) =>
      rule.triggers.some((t) => t.resourceType === event.resourceType && t.on.includes(event.action)) &&
      !(at < sinceOf(rule)),
  );
}

/** Rules parsed once, their times read once (not a `Date.parse` per rule per write). */
const sinceByRule = new WeakMap<Rule, number>();

/**
 * From when a rule version acts: its `meta.lastUpdated`, to the millisecond. The store stamps the
 * rule and every write (the outbox's `occurred_at`) from the same clock; rounding down to the
 * second, as this once did, let a rule installed just after an import act on the import's last
 * writes (the demo clinic's recipes sent results-ready notices for years-old reports).
 */
function sinceOf(rule: Rule): number {
  let since = sinceByRule.get(rule);
  if (since === undefined) {
    since = rule.since ? Date.parse(rule.since) : Number.NEGATIVE_INFINITY;
    sinceByRule.set(rule, since);
  }
  return since;
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

/** The keyed run of one rule version on one write. */
function runJob({ rule, event, runAt }: { rule: Rule; event: RuleEvent; runAt: string }): KeyedJob {
  const payload: RunPayload = { rule: { id: rule.id, version: rule.version }, event };
  return { queue: RUN_QUEUE, key: runKey(rule, event), payload, runAt };
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
