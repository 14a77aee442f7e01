/**
 * Audit log as a hash chain (issue 5): every row carries the hash of the row before it, so a
 * changed, removed or reordered row breaks the chain and `throughline audit verify` finds it.
 *
 * - `audit_log_hash(previous, row)`: SHA-256 (hex) over `previous || '\n' || canonical(row)`,
 *   where canonical is a JSON array of the row's fields in a fixed order, the time in UTC with
 *   microseconds. `src/access/audit-chain.ts` recomputes exactly this in TypeScript, so the
 *   verifier does not trust any function stored in the database.
 * - Appends are serialized on the single `audit_chain_head` row (SELECT … FOR UPDATE): the
 *   next writer waits until the previous one commits and then reads its hash, so concurrent
 *   writers cannot fork the chain. The id is taken under that lock too, so id order is chain
 *   order. A writer whose transaction is REPEATABLE READ gets a serialization error instead of
 *   a fork. The head also remembers the last row, so cutting rows off the end is detected.
 * - UPDATE, DELETE and TRUNCATE of audit_log are refused by triggers. On server PostgreSQL a
 *   REVOKE would not be enough: the app connects as the table's owner, and owners keep their
 *   privileges. The triggers are the guard; only someone who may ALTER the table (disable a
 *   trigger) can rewrite history, and the chain shows that they did.
 * - Rows written before this migration are chained here, in id order.
 */
export const sql = `
ALTER TABLE audit_log ADD COLUMN prev_hash text, ADD COLUMN hash text;
ALTER TABLE audit_log ALTER COLUMN id DROP DEFAULT;

CREATE TABLE audit_chain_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id bigint,
  hash text NOT NULL
);

CREATE FUNCTION audit_log_hash(previous text, r audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(previous || E'\\n' || array_to_json(ARRAY[
    r.id::text,
    to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    r.request_id, r.principal, r.principal_kind, r.action, r.resource_type, r.resource_id,
    array_to_json(r.patients)::text, r.outcome, r.detail, r.remote_address
  ])::text, 'UTF8')), 'hex')
$$;

DO $$
DECLARE
  r audit_log;
  previous text := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    UPDATE audit_log SET prev_hash = previous, hash = audit_log_hash(previous, r) WHERE id = r.id;
    previous := audit_log_hash(previous, r);
  END LOOP;
  INSERT INTO audit_chain_head (last_id, hash) VALUES ((SELECT max(id) FROM audit_log), previous);
END $$;

CREATE FUNCTION audit_log_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous text;
BEGIN
  SELECT hash INTO STRICT previous FROM audit_chain_head FOR UPDATE;
  NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
  NEW.prev_hash := previous;
  NEW.hash := audit_log_hash(previous, NEW);
  UPDATE audit_chain_head SET last_id = NEW.id, hash = NEW.hash;
  RETURN NEW;
END $$;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_append BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_chain_head_kept BEFORE DELETE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
`;
