import type { Resource } from '@medplum/fhirtypes';

/** One write the store is asked to make; `writeResources` turns a list of these into rows. */
export interface PendingWrite {
  method: 'create' | 'update' | 'delete';
  resourceType: string;
  id: string;
  /** The new content (absent for deletes). Its `meta.versionId/lastUpdated` are set by the store. */
  resource?: Resource;
  /** `If-Match`: the version the caller expects to replace. */
  expectedVersion?: string;
}

export interface CommittedWrite {
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
  /** The stored resource (undefined for deletes). */
  resource?: Resource;
  outcome: 'created' | 'updated' | 'unchanged' | 'deleted' | 'not-found';
}
