/**
 * Identity: the blocking keys of every patient record, so `$match` and match-on-write find
 * candidates with one indexed lookup instead of comparing against every patient.
 */
export const sql = `
CREATE TABLE identity_block_key (
  key text NOT NULL,
  patient_id text NOT NULL,
  PRIMARY KEY (key, patient_id)
);
CREATE INDEX identity_block_key_patient_idx ON identity_block_key (patient_id);
`;
