import { randomUUID } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { patientCompartmentOf } from '../../../fhir/compartment.ts';
import type { SqlExecutor } from '../../sql/database.ts';
import { indexResources, removeIndexes } from '../index-resources.ts';

/**
 * Test helper: puts resources straight into `resource` and indexes them, without the write
 * path — so search tests depend only on the table layout of migration 001 and on this module.
 * Missing ids are generated; `meta.lastUpdated` defaults to now.
 */
export async function seedResources<T extends Resource>(db: SqlExecutor, resources: T[]): Promise<T[]> {
  const now = new Date().toISOString();
  const stored = resources.map(
    (resource) =>
      ({
        ...resource,
        id: resource.id ?? randomUUID(),
        meta: { versionId: '1', ...resource.meta, lastUpdated: resource.meta?.lastUpdated ?? now },
      }) as T,
  );
  await db.query(
    `INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, compartment, content)
     SELECT t, i, 1, u, false, c, j FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[]) AS x(t, i, u, c, j)
     ON CONFLICT (resource_type, id) DO UPDATE SET last_updated = EXCLUDED.last_updated,
       compartment = EXCLUDED.compartment, content = EXCLUDED.content, deleted = false`,
    [
      stored.map((resource) => resource.resourceType),
      stored.map((resource) => resource.id),
      stored.map((resource) => resource.meta?.lastUpdated),
      stored.map((resource) => patientCompartmentOf(resource) ?? null),
      stored.map((resource) => JSON.stringify(resource)),
    ],
  );
  // Re-seeding an id keeps versionId "1", which indexResources reads as "no old rows".
  for (const type of new Set(stored.map((resource) => resource.resourceType))) {
    const ids = stored.filter((resource) => resource.resourceType === type).map((resource) => resource.id!);
    await removeIndexes(db, type, ids);
  }
  await indexResources(db, stored);
  return stored;
}

/** Marks resources deleted the way the write path does: flag the row, drop its index rows. */
export async function deleteSeeded(db: SqlExecutor, resourceType: string, ids: string[]): Promise<void> {
  await db.query(`UPDATE resource SET deleted = true WHERE resource_type = $1 AND id = ANY($2::text[])`, [
    resourceType,
    ids,
  ]);
  await removeIndexes(db, resourceType, ids);
}
