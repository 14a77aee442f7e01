/**
 * SMART Backend Services (issue 21): a system client may authenticate with a JWT it signs
 * (`private_key_jwt`) instead of its secret. `jwks` is the client's registered JSON Web Key Set
 * (public keys only); `client_assertion_jti` remembers each assertion's `jti` until it expires,
 * so an assertion is accepted once (RFC 7523 §3, SMART: "the jti … MUST NOT be reused").
 */
export const sql = `
ALTER TABLE oauth_client ADD COLUMN jwks text;

CREATE TABLE client_assertion_jti (
  client_id text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jti_expiry_idx ON client_assertion_jti (expires_at);
`;
