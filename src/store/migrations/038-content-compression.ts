/**
 * Resource contents are compressed with LZ4 instead of pglz where the server supports it
 * (issue 15 §3). Contents past ~2 kB are compressed when stored, in both `resource` and
 * `resource_history`; with pglz that was 6% of PostgreSQL's CPU on a Synthea import, and LZ4
 * compresses several times faster. Only new values change; old ones keep their method and read
 * as before. A build without LZ4 (embedded PGlite) keeps pglz.
 */
export const sql = `
DO $$
BEGIN
  ALTER TABLE resource ALTER COLUMN content SET COMPRESSION lz4;
  ALTER TABLE resource_history ALTER COLUMN content SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END $$;
`;
