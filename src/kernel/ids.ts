import { randomUUID } from 'node:crypto';

/** FHIR `id` datatype: 1–64 characters of A–Z, a–z, 0–9, '-' and '.'. */
const fhirIdPattern = /^[A-Za-z0-9\-.]{1,64}$/;

export function newId(): string {
  return randomUUID();
}

export function isValidFhirId(id: string): boolean {
  return fhirIdPattern.test(id);
}
