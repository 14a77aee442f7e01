import type { Bundle, GuidanceResponse } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { RUN_KEY_SYSTEM, RUN_RULE_SYSTEM } from './rule-profile.ts';
import { runFromResource, runToResource, type RuleRun } from './run-record.ts';

/** The run of a key, when one was recorded (a replayed event finds it and does nothing twice). */
export async function findRun(repository: FhirRepository, key: string): Promise<RuleRun | undefined> {
  const bundle = await repository.search({
    resourceType: 'GuidanceResponse',
    params: [['identifier', `${RUN_KEY_SYSTEM}|${key}`]],
  });
  const found = bundle.entry?.[0]?.resource as GuidanceResponse | undefined;
  return found ? runFromResource(found) : undefined;
}

/** Records the run: created once per key (conditional), then updated as its actions go. */
export async function saveRun(repository: FhirRepository, run: RuleRun): Promise<RuleRun> {
  const resource = runToResource(run);
  const { resource: stored } = run.id
    ? await repository.update(resource)
    : await repository.create(resource, { ifNoneExist: `identifier=${RUN_KEY_SYSTEM}|${run.key}` });
  return { ...run, id: stored.id };
}

export interface RunQuery {
  rule?: string;
  patient?: string;
  count?: number;
}

/** Runs newest first, of one rule or one patient (through the caller's checkpoint). */
export async function listRuns(repository: FhirRepository, query: RunQuery): Promise<RuleRun[]> {
  const params: [string, string][] = [
    ['_sort', '-_lastUpdated'],
    ['_count', String(Math.min(Math.max(query.count ?? 50, 1), 500))],
  ];
  if (query.rule) params.push(['identifier', `${RUN_RULE_SYSTEM}|${query.rule}`]);
  if (query.patient) params.push(['subject', query.patient]);
  const bundle: Bundle = await repository.search({ resourceType: 'GuidanceResponse', params });
  return (bundle.entry ?? []).map((entry) => runFromResource(entry.resource as GuidanceResponse));
}
