import type { GuidanceResponse } from '@medplum/fhirtypes';
import type { FhirRepository, Job } from '../../store/index.ts';
import type { AutomationDeps } from './automation-deps.ts';
import { loadRule } from './load-rule.ts';
import { loadWrites, type WriteScope } from './load-writes.ts';
import { eventKey, runKey, type RuleEvent } from './rule-model.ts';
import { RUN_KEY_SYSTEM } from './rule-profile.ts';
import { runFromResource, type RuleRun } from './run-record.ts';

/** What a run job names (its `RunPayload`): the rule version and the write. */
interface RunPayload {
  rule: { id: string; version: string };
  event: RuleEvent;
}

/** What one run job starts from, read together with the other jobs claimed beside it. */
export interface PrefetchedRun {
  /** Its run record as it was when the jobs were claimed (undefined: none yet). */
  run: RuleRun | undefined;
  /** The write it judges; absent when it was not read here (the run reads it on its own). */
  scope?: WriteScope;
}

/**
 * Events whose writes span more than this are not read together: one history read of their
 * time window would bring every write in between (a run resumed after a wait is days old).
 */
const MAX_WINDOW_MS = 60_000;

/**
 * The run records of a claimed set of run jobs in one audited search (`identifier` = each key),
 * and the writes the new ones judge in one history read per type (`loadWrites`, as the matcher
 * reads them): two reads for the set instead of a search and two vreads per run. Only the job
 * itself writes its run record (one job per key at a time), so the record read here is the one
 * it would read when it starts.
 */
export async function prefetchRuns(deps: AutomationDeps, jobs: Job[]): Promise<Map<string, PrefetchedRun>> {
  const keyed = await Promise.all(
    jobs.map(async (job) => {
      const payload = job.payload as RunPayload;
      const rule = await loadRule(deps.repository, payload.rule);
      return { job, payload, key: runKey(rule, payload.event) };
    }),
  );
  const runs = await findRuns(
    deps.repository,
    keyed.map(({ key }) => key),
  );
  const fresh = keyed.filter(({ key, payload }) => !runs.has(key) && payload.event.action !== 'scheduled');
  const scopes = await writesOf(
    deps.repository,
    fresh.map(({ payload }) => payload),
  );
  return new Map(
    keyed.map(({ job, payload, key }) => {
      const scope = scopes.get(eventKey(payload.event));
      return [job.id, { run: runs.get(key), ...(scope ? { scope } : {}) }];
    }),
  );
}

async function findRuns(repository: FhirRepository, keys: string[]): Promise<Map<string, RuleRun>> {
  const unique = [...new Set(keys)];
  const bundle = await repository.search({
    resourceType: 'GuidanceResponse',
    params: [
      ['identifier', unique.map((key) => `${RUN_KEY_SYSTEM}|${key}`).join(',')],
      ['_count', String(unique.length)],
    ],
  });
  const runs = (bundle.entry ?? []).map((entry) => runFromResource(entry.resource as GuidanceResponse));
  return new Map(runs.map((run) => [run.key, run]));
}

async function writesOf(
  repository: FhirRepository,
  payloads: RunPayload[],
): Promise<Map<string, WriteScope>> {
  const events = [...new Map(payloads.map(({ event }) => [eventKey(event), event])).values()];
  const times = events.map((event) => Date.parse(event.occurredAt));
  if (events.length < 2 || Math.max(...times) - Math.min(...times) > MAX_WINDOW_MS) return new Map();
  const scopes = await loadWrites(repository, events);
  return new Map(scopes.map((scope) => [eventKey(scope.event), scope]));
}
