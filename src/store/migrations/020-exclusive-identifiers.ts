/**
 * Exclusive identifiers: among live resources of one type, an identifier of the system
 * `https://throughline.dev/fhir/exclusive-claim` exists at most once. The database enforces it,
 * so two concurrent writes claiming the same value cannot both commit, on any number of nodes:
 * the second waits for the first and fails if it committed. Scheduling claims booked time this
 * way (one value per schedule, 5-minute block and seat). Search-index rows exist only for
 * current, live versions, so a claim is released by updating the resource without it or
 * deleting the resource.
 *
 * An exclusion constraint rather than a unique index because it can be DEFERRABLE: checked at
 * the end of each statement, not row by row, so one write statement may drop a claim from one
 * resource and give it to another (a reschedule to an overlapping time) whatever order its
 * delete and insert run in.
 */
export const sql = `
ALTER TABLE search_token ADD CONSTRAINT search_token_exclusive
  EXCLUDE USING btree (resource_type WITH =, value WITH =)
  WHERE (code = 'identifier' AND system = 'https://throughline.dev/fhir/exclusive-claim')
  DEFERRABLE INITIALLY IMMEDIATE;
`;
