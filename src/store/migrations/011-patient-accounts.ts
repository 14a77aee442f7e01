/**
 * Patients (and proxies) sign in too (issue 5: the patient role): an account names the patient
 * record it acts for, which becomes the SMART patient context of its tokens.
 */
export const sql = `
ALTER TABLE staff_user ADD COLUMN patient_id text;
`;
