import type { SqlExecutor } from './sql/database.ts';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { SearchRequest, SearchScope } from './search/contract.ts';
import type { StoredPage, StoredRow } from './search/read-stored-page.ts';

export type { SearchRequest, SearchScope, StoredPage, StoredRow };

/** Options of a conditional interaction: whose criteria they are (the access checkpoint sets it). */
export interface ConditionalOptions {
  scope?: SearchScope;
}

/** The result of a write: the stored resource (with meta.versionId/lastUpdated) and what happened. */
export interface WriteResult<T extends Resource = Resource> {
  /** Always carries its server-assigned `id` (and `meta.versionId` / `meta.lastUpdated`). */
  resource: T & { id: string };
  /** 'created' | 'updated' | 'existing' (conditional create matched) | 'unchanged'. */
  outcome: 'created' | 'updated' | 'existing' | 'unchanged';
}

export interface HistoryRequest {
  resourceType?: string;
  id?: string;
  /** Only versions written at or after this instant (`_since`). */
  since?: string;
  /**
   * Only versions written at or before this instant: with `since`, a window (an event batch's
   * versions without the writes that came after it). Not an HTTP parameter.
   */
  until?: string;
  /**
   * Only versions in these patients' compartments: the version's `compartment` (its first
   * compartment parameter; a Patient is its own), which a deletion keeps from the version it
   * deleted — so a Group export can list its members' deletions. Not an HTTP parameter.
   */
  patients?: string[];
  count?: number;
  /** Opaque paging cursor from a previous page's `next` link. */
  offset?: number;
}

export interface EverythingRequest {
  patientId: string;
  start?: string;
  end?: string;
  since?: string;
  types?: string[];
  count?: number;
  offset?: number;
}

export interface BulkOptions {
  /**
   * Run a transaction Bundle inside the caller's open database transaction (the caller
   * commits), so the caller's own rows commit with the Bundle or not at all — the HL7 message
   * store writes a message and everything derived from it this way (its group commit also
   * marks the transaction: `messages/message-batch-transaction.ts`, store-internal).
   */
  transaction?: SqlExecutor;
  /**
   * Elements of the stored resource that a conditional update keeps, by resource type: the
   * writer does not own them. An HL7 feed replaces a Patient from its PID but must not erase
   * the identity service's `link` and `active`. The update then also requires the version it
   * read (a concurrent merge makes it fail cleanly instead of undoing the merge's links).
   */
  keepElements?: Record<string, string[]>;
  /** Conditional criteria in the Bundle run as this caller (set by the access checkpoint). */
  scope?: SearchScope;
}

/**
 * The FHIR store port: the one write path and the one read path of DESIGN.md. Every write
 * stores the resource, its history row, its search indexes and a change event in one
 * transaction. Errors are `ThroughlineError`s (NOT_FOUND, GONE, VERSION_CONFLICT, …).
 */
export interface FhirRepository {
  create<T extends Resource>(
    resource: T,
    options?: { ifNoneExist?: string } & ConditionalOptions,
  ): Promise<WriteResult<T>>;
  read<T extends Resource = Resource>(resourceType: string, id: string): Promise<T>;
  vread<T extends Resource = Resource>(resourceType: string, id: string, versionId: string): Promise<T>;
  /** Update (or create with a client-chosen id). `ifMatch` is the expected current versionId. */
  update<T extends Resource>(resource: T, options?: { ifMatch?: string }): Promise<WriteResult<T>>;
  /** Conditional update: `query` is a search string such as `identifier=http://x|123`. */
  conditionalUpdate<T extends Resource>(
    resource: T,
    query: string,
    options?: ConditionalOptions,
  ): Promise<WriteResult<T>>;
  delete(resourceType: string, id: string): Promise<void>;
  history(request: HistoryRequest): Promise<Bundle>;
  search(request: Omit<SearchRequest, 'baseUrl'>): Promise<Bundle>;
  everything(request: EverythingRequest): Promise<Bundle>;
  /**
   * For streaming readers (bulk export): a keyset page of a search's matches after `after`, in
   * id order, as the stored JSON text with each row's patient compartment — nothing parsed.
   * Filters only (`_count` sets the page size); result-shaping parameters are refused.
   */
  readStoredPage(request: Omit<SearchRequest, 'baseUrl'> & { after: string }): Promise<StoredPage>;
  /** Processes a `transaction` (atomic) or `batch` Bundle and returns the response Bundle. */
  processBundle(bundle: Bundle, options?: BulkOptions): Promise<Bundle>;
  /** Fast path for bulk import: upserts many resources by id in one transaction. */
  importResources(resources: Resource[]): Promise<WriteResult[]>;
  /**
   * Refreshes the query planner's statistics after a bulk load. Without it PostgreSQL plans
   * searches on a freshly imported database as if its tables were empty (seconds, not ms).
   */
  refreshStatistics(): Promise<void>;
}
