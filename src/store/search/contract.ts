/**
 * What the search engine offers the rest of the store. The write path adds `indexParts` to its
 * write statement and calls `removeIndexes` inside its transaction; reads call `searchResources`.
 */
export interface SearchRequest {
  /** The resource type searched. */
  resourceType: string;
  /** Raw query parameters in request order, e.g. [['name', 'smith'], ['_count', '10']]. */
  params: [string, string][];
  /**
   * Restricts the search to one patient's compartment (`/Patient/{id}/Observation`) — or, with
   * `ids`, to the compartments of all of one person's records (a patient's own linked records).
   */
  compartment?: { resourceType: 'Patient'; id: string; ids?: string[] };
  /** Public FHIR base URL (e.g. http://localhost:8080/fhir) for fullUrl and paging links. */
  baseUrl: string;
  /** `Prefer: handling=strict`: unknown or unsupported parameters are an error, not ignored. */
  strict?: boolean;
}
