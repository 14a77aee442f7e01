/**
 * Sign-in lockout per account AND address (security issue #12): failures from one address
 * lock the account for that address only, so whoever guesses from one place cannot lock staff
 * out everywhere. `staff_user.failed_attempts` and `locked_until` are no longer used.
 */
export const sql = `
CREATE TABLE sign_in_failure (
  user_id text NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
  address text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_failed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, address)
);
`;
