import type { Resource } from '@medplum/fhirtypes';
import { factsOfResource } from '../../src/analytics/index.ts';
import { generateDemoClinic } from '../../src/demo/index.ts';
import {
  replaceKpiFacts,
  type KpiFactRow,
  type KpiFactsOf,
  type SqlDatabase,
} from '../../src/store/index.ts';
import { journeyEpisodes } from './kpi-scale-episodes.ts';
import { applyContributionSql, linkKinds } from '../../src/store/kpi-facts/kpi-sums-sql.ts';

/**
 * The demo clinic at `people`, in shards of at most `shard` people (seeds 1, 2, …): the
 * generator holds a whole clinic in memory (~90 MB per 1,000 people). Each shard has its own
 * directory (3 locations, 8 practitioners); their ids are mapped to the first shard's by
 * position, so the clinic keeps one directory as the demo clinic has. Each patient record gets
 * journey episodes (`journeyEpisodes`: the stage dimension). Yields each resource's facts as the
 * reaction makes them (`factsOfResource`).
 */
export async function* clinicFacts(input: { people: number; shard: number; now: Date }) {
  let first: string[] | undefined;
  for (let shardNo = 0; shardNo * input.shard < input.people; shardNo++) {
    const patients = Math.min(input.shard, input.people - shardNo * input.shard);
    const clinic = generateDemoClinic({ patients, seed: shardNo + 1, now: input.now });
    const ids = clinic.resources
      .filter((r) => r.resourceType === 'Location' || r.resourceType === 'Practitioner')
      .map((r) => r.id!);
    first ??= ids;
    const map = new Map(ids.map((id, i) => [id, first![i] ?? id]));
    const resources = [...clinic.resources, ...journeyEpisodes(clinic.resources, input.now)];
    yield { resources: resources.length, facts: resources.flatMap((r) => factsOf(r, map)) };
  }
}

function factsOf(resource: Resource, map: Map<string, string>): KpiFactsOf[] {
  const facts = factsOfResource(resource).map((fact: KpiFactRow) => ({
    ...fact,
    ...(fact.location ? { location: map.get(fact.location) ?? fact.location } : {}),
    ...(fact.practitioner ? { practitioner: map.get(fact.practitioner) ?? fact.practitioner } : {}),
  }));
  return facts.length === 0
    ? []
    : [{ source: { resourceType: resource.resourceType, id: resource.id! }, facts }];
}

/** As the reaction stores them: `replaceKpiFacts`, 1,000 resources a call (its batch size). */
export async function storeInBatches(db: SqlDatabase, resources: KpiFactsOf[]): Promise<void> {
  for (let at = 0; at < resources.length; at += 1000)
    await replaceKpiFacts(db, resources.slice(at, at + 1000));
}

/** The fact rows only, no sums (`sumAllAtOnce` adds them after); a repeated key kept once, as `replaceKpiFacts` does. */
export async function insertFactsOnly(db: SqlDatabase, resources: KpiFactsOf[]): Promise<void> {
  const rows = resources.flatMap(({ source, facts }) =>
    facts.map((f) => ({
      ...{ source_type: source.resourceType, source_id: source.id, kind: f.kind, at: f.at ?? null },
      ...{ patient: f.patient ?? null, numerator: f.numerator, grp: f.group ?? null, days: f.days ?? null },
      ...{ since_ms: f.sinceMs ?? null, location: f.location ?? null, practitioner: f.practitioner ?? null },
      ...{ channel: f.channel ?? null, link: f.link ?? null, until: f.until ?? null, seq: f.seq ?? 0 },
    })),
  );
  for (let at = 0; at < rows.length; at += 20_000)
    await db.query(
      `INSERT INTO kpi_fact SELECT * FROM jsonb_populate_recordset(NULL::kpi_fact, $1::jsonb)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows.slice(at, at + 20_000))],
    );
}

/**
 * The sums of every kept fact in one statement: the reaction's own SQL (`applyContributionSql`),
 * with every fact as the affected set — one batch of the whole clinic. The sums do not depend
 * on how the facts were batched (src/server/analytics-kpi-sums.test.ts); `compare` checks it
 * against sums built 1,000 resources at a time.
 */
export async function sumAllAtOnce(db: SqlDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    const every = await tx.query<{ types: string[]; ids: string[]; kinds: string[] }>(
      `SELECT COALESCE(array_agg(source_type), '{}') AS types, COALESCE(array_agg(source_id), '{}') AS ids,
         COALESCE(array_agg(kind), '{}') AS kinds FROM (SELECT DISTINCT source_type, source_id, kind FROM kpi_fact) f`,
    );
    const { types, ids, kinds } = every.rows[0]!;
    await tx.query('DELETE FROM kpi_sum');
    await tx.query('SET LOCAL jit = off');
    await tx.query(applyContributionSql, [1, linkKinds, types, ids, kinds]);
  });
}
