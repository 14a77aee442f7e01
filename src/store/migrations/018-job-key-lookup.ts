/**
 * Jobs read by their key whatever their state: a bulk export's status URL names its job by key
 * and is polled until the job is done, and after (the manifest), not only while it is pending.
 */
export const sql = `
CREATE INDEX job_key_idx ON job (queue, key) WHERE key IS NOT NULL;
`;
