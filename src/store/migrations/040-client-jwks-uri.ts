/**
 * SMART Backend Services (issue 21): a system client may register the URL of its JSON Web Key
 * Set (`jwks_uri`) instead of the keys, so it rotates keys without asking us (SMART: "the
 * client's JWK Set URL"). Set by an operator (configuration or `upsertClient`), never by a request.
 */
export const sql = `
ALTER TABLE oauth_client ADD COLUMN jwks_uri text;
`;
