/**
 * Break-glass grants (issue 5): time-limited access to one patient's data beyond the caller's
 * role (sensitive labels, consent restrictions), with the stated reason. Rows are never
 * deleted: they are what the privacy officer reviews.
 */
export const sql = `
CREATE TABLE break_glass_grant (
  id bigserial PRIMARY KEY,
  principal text NOT NULL,
  principal_display text NOT NULL,
  patient text NOT NULL,
  reason text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  request_id text
);
CREATE INDEX break_glass_active_idx ON break_glass_grant (principal, expires_at);
`;
