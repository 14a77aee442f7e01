import type { Filter } from './search-request.ts';
import type { SqlArgs } from './sql-args.ts';

/** Where a filter's condition applies: a resource row of one type, while `args` collects the binds. */
export interface FilterTarget {
  args: SqlArgs;
  resourceType: string;
  /** The alias of the `resource` row the condition is on (`r`, or a chain's or `_has`'s inner row). */
  row: string;
}

/** Builds the SQL condition of one filter on a target row (`filterCondition`, passed down to break the cycle). */
export type FilterBuilder = (target: FilterTarget, filter: Filter) => string;

/** One filter's values compared in its index table: the table's alias `s` inside the filter's EXISTS. */
export interface IndexedFilter {
  args: SqlArgs;
  /** The alias of the `search_<type>` row. */
  s: string;
  filter: Filter;
}
