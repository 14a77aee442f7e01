/**
 * Keyed jobs: at most one pending job per (queue, key). Engagement keeps one delivery job per
 * CommunicationRequest, so however many writes touch a request, one worker at a time delivers
 * it (and a rescheduled request moves its job rather than adding a second one).
 */
export const sql = `
ALTER TABLE job ADD COLUMN key text;
CREATE UNIQUE INDEX job_pending_key_idx ON job (queue, key)
  WHERE key IS NOT NULL AND status IN ('ready', 'running');
`;
