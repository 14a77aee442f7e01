/**
 * HL7 v2 code tables shared by both directions (issue 17): the inbound mapping reads them one
 * way, outbound messages the other, so a value goes out as it came in.
 */

/** HL7 table 0001 (administrative sex) → FHIR `Patient.gender`. */
export const ADMINISTRATIVE_SEX: Record<string, 'male' | 'female' | 'other' | 'unknown'> = {
  M: 'male',
  F: 'female',
  O: 'other',
  A: 'other',
  U: 'unknown',
  N: 'unknown',
};

/** HL7 table 0396 (coding system) → FHIR system URI; the first code of a URI is the one sent. */
export const CODING_SYSTEMS: Record<string, string> = {
  LN: 'http://loinc.org',
  LOINC: 'http://loinc.org',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  SNOMED: 'http://snomed.info/sct',
  I10: 'http://hl7.org/fhir/sid/icd-10',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  RXNORM: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  CVX: 'http://hl7.org/fhir/sid/cvx',
  UCUM: 'http://unitsofmeasure.org',
  CPT: 'http://www.ama-assn.org/go/cpt',
  NDC: 'http://hl7.org/fhir/sid/ndc',
};

/** The namespace inbound identifiers get from a CX-4 assigning authority named but not an OID. */
export const AUTHORITY_SYSTEM_PREFIX = 'urn:throughline:hl7v2:authority:';

/** The inverse of a table: the first code for each value. */
export function firstCodeOf<V extends string>(
  table: Record<string, V>,
  value: V | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  return Object.entries(table).find(([, each]) => each === value)?.[0];
}
