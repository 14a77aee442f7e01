import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SqlExecutor } from '../sql/database.ts';

/** Current version of a resource; GONE if its latest version is a delete. */
export async function readResource<T extends Resource>(
  db: SqlExecutor,
  resourceType: string,
  id: string,
): Promise<T> {
  const result = await db.query<{ content: string; deleted: boolean }>(
    'SELECT content, deleted FROM resource WHERE resource_type = $1 AND id = $2',
    [resourceType, id],
  );
  const row = result.rows[0];
  if (!row) throw new ThroughlineError('NOT_FOUND', `${resourceType}/${id} not found`);
  if (row.deleted) throw new ThroughlineError('GONE', `${resourceType}/${id} was deleted`);
  return JSON.parse(row.content) as T;
}

/** One version of one resource: `resourceType/id/_history/versionId`. */
export interface VersionKey {
  resourceType: string;
  id: string;
  versionId: string;
}

/** One version from history; GONE if that version is a delete. */
export async function readVersion<T extends Resource>(db: SqlExecutor, version: VersionKey): Promise<T> {
  const { resourceType, id, versionId } = version;
  if (!/^\d{1,18}$/.test(versionId)) {
    throw new ThroughlineError('NOT_FOUND', `${resourceType}/${id}/_history/${versionId} not found`);
  }
  const result = await db.query<{ content: string | null }>(
    'SELECT content FROM resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3',
    [resourceType, id, versionId],
  );
  const row = result.rows[0];
  if (!row) throw new ThroughlineError('NOT_FOUND', `${resourceType}/${id}/_history/${versionId} not found`);
  if (row.content === null)
    throw new ThroughlineError('GONE', `${resourceType}/${id}/_history/${versionId} is a delete`);
  return JSON.parse(row.content) as T;
}
