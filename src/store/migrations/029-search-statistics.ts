/**
 * Extended statistics on the search index tables (issue 18). In each table `resource_type`,
 * `code` and (for references) `target_type` go together: `Slot`'s `schedule` always points to a
 * `Schedule`. Planning them as independent multiplied their selectivities and underestimated a
 * reference filter about 70-fold (11 rows expected per Schedule, 800 found), so a `$find` over
 * 40 schedules was planned from every Slot they ever had instead of from the week's dates:
 * 300 ms instead of a few. Functional dependencies tell the planner how they go together.
 */
export const sql = `
CREATE STATISTICS search_token_kind_stats (dependencies) ON resource_type, code FROM search_token;
CREATE STATISTICS search_string_kind_stats (dependencies) ON resource_type, code FROM search_string;
CREATE STATISTICS search_date_kind_stats (dependencies) ON resource_type, code FROM search_date;
CREATE STATISTICS search_number_kind_stats (dependencies) ON resource_type, code FROM search_number;
CREATE STATISTICS search_reference_kind_stats (dependencies) ON resource_type, code, target_type FROM search_reference;
`;
