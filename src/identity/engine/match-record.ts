import type { Patient } from '@medplum/fhirtypes';
import {
  normalizeEmail,
  normalizeName,
  normalizePhone,
  normalizePostcode,
  normalizeText,
} from './normalize.ts';

/** A Patient reduced to what matching compares, normalized once. */
export interface MatchRecord {
  given: string;
  family: string;
  /** Every word of the name (text, all given names, family), for full-name comparison. */
  nameWords: string[];
  birthDate: string;
  gender: string;
  phones: string[];
  emails: string[];
  postcode: string;
  /** The first address's lines, normalized and joined. */
  street: string;
  city: string;
  birthPlace: string;
  /** `system|value` */
  identifiers: string[];
}

const BIRTH_PLACE = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';

export function toMatchRecord(patient: Patient): MatchRecord {
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  const telecom = patient.telecom ?? [];
  const address = patient.address?.[0];
  const birthPlace = patient.extension?.find((e) => e.url === BIRTH_PLACE)?.valueAddress;
  return {
    given: normalizeName(name?.given?.[0]).split(' ')[0] ?? '',
    family: normalizeName(name?.family),
    nameWords: nameWordsOf(name?.text, name?.given, name?.family),
    birthDate: patient.birthDate ?? '',
    gender: patient.gender ?? '',
    phones: telecomValues(telecom, ['phone', 'sms'], normalizePhone),
    emails: telecomValues(telecom, ['email'], normalizeEmail),
    postcode: normalizePostcode(address?.postalCode),
    street: normalizeText(address?.line?.join(' ')),
    city: normalizeText(address?.city),
    birthPlace: normalizeText(birthPlace?.city ?? birthPlace?.text),
    identifiers: (patient.identifier ?? [])
      .filter((id) => id.value)
      .map((id) => `${id.system ?? ''}|${id.value}`),
  };
}

function nameWordsOf(text?: string, given?: string[], family?: string): string[] {
  const words = [text, ...(given ?? []), family].flatMap((part) => normalizeName(part).split(' '));
  return [...new Set(words.filter(Boolean))];
}

function telecomValues(
  telecom: NonNullable<Patient['telecom']>,
  systems: string[],
  normalize: (value: string | undefined) => string,
): string[] {
  return telecom
    .filter((t) => t.system && systems.includes(t.system))
    .map((t) => normalize(t.value))
    .filter(Boolean);
}
