import type { Resource } from '@medplum/fhirtypes';

/**
 * What the caller of a search may see, for the rows the store looks at on their behalf beyond
 * the outer search (chains, `_has`) and for conditional criteria. The access checkpoint sets
 * it: a search may never find, or reveal facts about, rows its caller could not read.
 */
export interface SearchScope {
  /** Whether the caller may search this type: chains and `_has` through any other are refused. */
  maySearch(resourceType: string): boolean;
  /** Sensitivity labels (`meta.security`) the caller may not see: rows carrying one are not looked at. */
  hiddenLabels: readonly { system: string; code: string }[];
  /** One-patient callers: rows of patient data must be in these patients' compartments. */
  patients?: readonly string[];
  /** Elements the caller sees masked on this type: searching by them would tell what the mask hides. */
  maskedElements?(resourceType: string): readonly string[];
  /** Patients whose consent hides this type from the caller: their rows are not looked at. */
  hiddenPatients?(resourceType: string): readonly string[];
  /**
   * Ids of this type the caller may not see (results the clinic holds back from the patient):
   * not looked at, and with `results`, not returned or counted.
   */
  hiddenIds?(resourceType: string): readonly string[];
  /**
   * Limits the search's own results too, in the query: `labels` leaves out rows with a hidden
   * label, `compartment` keeps to `patients` (a Patient search: those records). Totals and
   * paging then count only what the caller may see, and links repeat only what they asked.
   */
  results?: { labels: boolean; compartment: boolean };
  /** The last word on a conditional match (consent): a match it refuses counts as not there. */
  admits?(resource: Resource): boolean;
}

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
  /** The caller's scope: applied to the rows chains and `_has` look into. */
  scope?: SearchScope;
  /**
   * Keyset paging for streaming readers (bulk export): only resources whose id sorts after
   * this one. With no `_sort` the page is in id order, so the last id of a page is the next
   * page's `after`: each page is one primary-key range scan, however deep the reader is
   * (`_offset` would re-read every earlier row).
   */
  after?: string;
}
