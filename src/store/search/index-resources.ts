import type { Resource } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';

/**
 * Replaces the search-index rows of each given resource (current version). Called by the write
 * path inside its transaction. (Placeholder until the engine lands.)
 */
export async function indexResources(_tx: SqlExecutor, _resources: Resource[]): Promise<void> {}

/** Removes the search-index rows of deleted resources. */
export async function removeIndexes(_tx: SqlExecutor, _resourceType: string, _ids: string[]): Promise<void> {}
