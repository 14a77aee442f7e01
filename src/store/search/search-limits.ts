/**
 * Every limit a search has, in one place (documented in this folder's README). Each bounds work
 * a single request could otherwise make unbounded: a probe's `_include:iterate` with `_count=1`
 * returned the whole database; 50,000 OR values stalled the server and 100,000 answered 500.
 */
export const searchLimits = {
  /** `_count` when none is given. */
  defaultCount: 20,
  /** Largest `_count` honoured (a larger one is lowered to it). */
  maxCount: 1000,
  /** Parameters in one search (filters, result parameters, includes): more is a 400. */
  maxParameters: 50,
  /** Comma-separated values of one parameter (an OR list, a `_sort` list): more is a 400. */
  maxValuesPerParameter: 100,
  /** Rounds of `:iterate` after the first `_include`/`_revinclude` round. */
  maxIncludeIterations: 3,
  /** Resources added by `_include`/`_revinclude` to one page; past it the page says it was cut. */
  maxIncludedPerPage: 1000,
} as const;
