import type { Provenance, Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import {
  HELD_STATUSES,
  holdEndOf,
  isRelease,
  releasedBy,
  RESULT_TYPES,
  type ResultHold,
} from './result-hold.ts';

/** Results of one patient read for a hold: far more in one hold period is not a clinic's day. */
const MAX_RECENT_RESULTS = 1000;

/**
 * The results of these patient records (one person) on hold now, as `Type/id`: final results
 * of a held kind whose period has not passed since `issued` and that no clinician released.
 * Read with the unscoped store: evaluating policy is not a disclosure to report (like consent).
 * Results written before the period began are not looked at (`_lastUpdated`): a result is
 * written after it is issued.
 */
export async function heldResults(
  repository: FhirRepository,
  read: { patients: readonly string[]; hold: ResultHold; now: Date },
): Promise<Set<string>> {
  const { patients, hold, now } = read;
  if (hold.hours <= 0 || patients.length === 0) return new Set();
  const since = new Date(now.getTime() - hold.hours * 3_600_000).toISOString();
  const recent: Resource[] = [];
  for (const resourceType of RESULT_TYPES) {
    const bundle = await repository.search({
      resourceType,
      compartment: { resourceType: 'Patient', id: patients[0]!, ids: [...patients] },
      params: [
        ['status', HELD_STATUSES.join(',')],
        ['_lastUpdated', `gt${since}`],
        ['_count', String(MAX_RECENT_RESULTS)],
      ],
    });
    for (const entry of bundle.entry ?? []) if (entry.resource) recent.push(entry.resource);
  }
  const onHold = recent.filter((result) => (holdEndOf(result, hold)?.getTime() ?? 0) > now.getTime());
  const refs = onHold.map((result) => `${result.resourceType}/${result.id}`);
  const released = await releasedAmong(repository, refs);
  return new Set(refs.filter((ref) => !released.has(ref)));
}

/** Which of these results a clinician released (their release Provenances, 100 targets a search). */
export async function releasedAmong(
  repository: FhirRepository,
  refs: readonly string[],
): Promise<Set<string>> {
  const released = new Set<string>();
  for (let at = 0; at < refs.length; at += 100) {
    const bundle = await repository.search({
      resourceType: 'Provenance',
      params: [
        ['target', refs.slice(at, at + 100).join(',')],
        ['_count', '1000'],
      ],
    });
    for (const entry of bundle.entry ?? [])
      if (entry.resource && isRelease(entry.resource))
        for (const ref of releasedBy(entry.resource as Provenance)) released.add(ref);
  }
  return released;
}
