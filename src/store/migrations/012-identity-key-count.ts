/**
 * Identity: how many patient records hold each blocking key. Candidate lookup weighs shared
 * keys by rarity and skips keys so common that they say little (a common first name, a care
 * home's shared phone); this table gives each key's frequency in one index lookup, where the
 * lookup used to count up to 1,000 index rows per key. Statement triggers keep it exact on
 * every write of the key index: one upsert per statement, in key order, so concurrent writers
 * lock count rows in the same order.
 */
export const sql = `
CREATE TABLE identity_block_key_count (
  key text PRIMARY KEY,
  patients integer NOT NULL
);
INSERT INTO identity_block_key_count (key, patients)
  SELECT key, count(*) FROM identity_block_key GROUP BY key;

CREATE FUNCTION identity_block_key_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO identity_block_key_count AS c (key, patients)
      SELECT key, count(*) FROM added GROUP BY key ORDER BY key
      ON CONFLICT (key) DO UPDATE SET patients = c.patients + excluded.patients;
  ELSE
    INSERT INTO identity_block_key_count AS c (key, patients)
      SELECT key, -count(*) FROM removed GROUP BY key ORDER BY key
      ON CONFLICT (key) DO UPDATE SET patients = c.patients + excluded.patients;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION identity_block_key_uncounted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM identity_block_key_count;
  RETURN NULL;
END $$;

CREATE TRIGGER identity_block_key_count_insert AFTER INSERT ON identity_block_key
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION identity_block_key_counted();
CREATE TRIGGER identity_block_key_count_delete AFTER DELETE ON identity_block_key
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION identity_block_key_counted();
CREATE TRIGGER identity_block_key_count_truncate AFTER TRUNCATE ON identity_block_key
  FOR EACH STATEMENT EXECUTE FUNCTION identity_block_key_uncounted();
`;
