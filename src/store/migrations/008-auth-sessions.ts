/**
 * Authentication state (issue 5): server-side sessions, TOTP second factor, SMART app launch.
 *
 * - `auth_session`: one row per staff sign-in (`kind = 'sign-in'`) and one per app grant
 *   (`online` / `offline`), the latter being the refresh-token family. Access tokens carry the
 *   row's id as `sid`; the verifier reads the row by primary key, so logout, idle timeout,
 *   absolute limit and family revocation take effect on the next request.
 * - `oauth_authorization_code`: codes are stored as SHA-256 hashes, bound to client,
 *   redirect URI, scope and PKCE challenge; `used_at` makes them single-use.
 * - `oauth_refresh_token`: hashes of every refresh token of a family; a used one presented
 *   again is reuse, and revokes its family (RFC 9700 §4.14.2).
 * - `oauth_client` gains registered redirect URIs and a public flag (PKCE apps without a secret).
 */
export const sql = `
CREATE TABLE auth_session (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('sign-in', 'online', 'offline')),
  parent_id text REFERENCES auth_session (id) ON DELETE CASCADE,
  client_id text,
  scope text NOT NULL DEFAULT '',
  idle_seconds integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX auth_session_parent_idx ON auth_session (parent_id) WHERE parent_id IS NOT NULL;

ALTER TABLE staff_user
  ADD COLUMN totp_secret text,
  ADD COLUMN totp_pending_secret text,
  ADD COLUMN totp_last_step bigint;

ALTER TABLE oauth_client
  ADD COLUMN redirect_uris text[] NOT NULL DEFAULT '{}',
  ADD COLUMN public_client boolean NOT NULL DEFAULT false;

CREATE TABLE oauth_authorization_code (
  code_hash text PRIMARY KEY,
  client_id text NOT NULL,
  session_id text NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
  redirect_uri text NOT NULL,
  scope text NOT NULL,
  code_challenge text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  family_id text REFERENCES auth_session (id) ON DELETE CASCADE
);

CREATE TABLE oauth_refresh_token (
  token_hash text PRIMARY KEY,
  session_id text NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz
);
CREATE INDEX oauth_refresh_token_session_idx ON oauth_refresh_token (session_id);
`;
