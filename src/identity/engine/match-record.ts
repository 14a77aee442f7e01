import type { Patient } from '@medplum/fhirtypes';
import { normalizeEmail, normalizeName, normalizePhone, normalizePostcode } from './normalize.ts';

/** A Patient reduced to what matching compares, normalized once. */
export interface MatchRecord {
  given: string;
  family: string;
  birthDate: string;
  gender: string;
  phones: string[];
  emails: string[];
  postcode: string;
  /** `system|value` */
  identifiers: string[];
}

export function toMatchRecord(patient: Patient): MatchRecord {
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  const telecom = patient.telecom ?? [];
  return {
    given: normalizeName(name?.given?.[0]).split(' ')[0] ?? '',
    family: normalizeName(name?.family),
    birthDate: patient.birthDate ?? '',
    gender: patient.gender ?? '',
    phones: telecom
      .filter((t) => t.system === 'phone' || t.system === 'sms')
      .map((t) => normalizePhone(t.value))
      .filter(Boolean),
    emails: telecom
      .filter((t) => t.system === 'email')
      .map((t) => normalizeEmail(t.value))
      .filter(Boolean),
    postcode: normalizePostcode(patient.address?.[0]?.postalCode),
    identifiers: (patient.identifier ?? [])
      .filter((id) => id.value)
      .map((id) => `${id.system ?? ''}|${id.value}`),
  };
}
