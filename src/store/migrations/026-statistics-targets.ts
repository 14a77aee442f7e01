/**
 * No planner statistics for the payload columns (issue 15): no query filters on a resource's
 * JSON, a message's bytes or a job's payload, and sampling them made each ANALYZE several times
 * slower — on the embedded database, an ANALYZE holds the one connection. The platform
 * analyses changed tables itself (`src/store/statistics/`), so they must be cheap.
 */
export const sql = `
ALTER TABLE resource ALTER COLUMN content SET STATISTICS 0;
ALTER TABLE resource_history ALTER COLUMN content SET STATISTICS 0;
ALTER TABLE inbound_message ALTER COLUMN raw SET STATISTICS 0;
ALTER TABLE inbound_message ALTER COLUMN ack SET STATISTICS 0;
ALTER TABLE inbound_message ALTER COLUMN resources SET STATISTICS 0;
ALTER TABLE job ALTER COLUMN payload SET STATISTICS 0;
`;
