/**
 * Sign-in by a one-time code (issue 20, access): a patient's portal account may be reached by
 * its mobile number as well as its email (`staff_user.phone`, E.164, one account per number),
 * and holds at most one live code (`sign_in_code`, one row per account: a new request replaces
 * the old code). Codes are kept as an HMAC, never as sent; `attempts` counts the guesses at this
 * code, which is void after five.
 */
export const sql = `
ALTER TABLE staff_user ADD COLUMN phone text;
CREATE UNIQUE INDEX staff_user_phone_idx ON staff_user (phone) WHERE phone IS NOT NULL;

CREATE TABLE sign_in_code (
  user_id text PRIMARY KEY REFERENCES staff_user (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
`;
