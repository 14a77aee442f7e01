/**
 * Access: system clients (OAuth 2.0 client credentials), staff users, platform secrets, and the
 * append-only audit log. The full role/consent model (issue 5) extends these tables.
 */
export const sql = `
CREATE TABLE oauth_client (
  client_id text PRIMARY KEY,
  secret_hash text NOT NULL,
  name text NOT NULL,
  scopes text NOT NULL,
  roles text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_user (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  roles text[] NOT NULL,
  scopes text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform_secret (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  request_id text,
  principal text NOT NULL,
  principal_kind text NOT NULL,
  action text NOT NULL,
  resource_type text,
  resource_id text,
  patients text[] NOT NULL DEFAULT '{}',
  outcome text NOT NULL,
  detail text,
  remote_address text
);
CREATE INDEX audit_log_time_idx ON audit_log (recorded_at DESC);
CREATE INDEX audit_log_patients_idx ON audit_log USING gin (patients);
`;
