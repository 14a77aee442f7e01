import type { Patient } from '../../shared/fhir/types.ts';

/**
 * What the one search box asks the server, by the shape of what was typed: an email, a birth
 * date, a phone number, an MRN or a name. Names also go to identity's `Patient/$match`, which
 * compares phonetically and tolerates typos ("Maya Okafur" finds Maya Okafor); a phone number
 * goes there too, because it normalises formats the FHIR token search compares exactly.
 */
export interface SearchPlan {
  /** FHIR search query strings for `GET /fhir/Patient?…`. */
  searches: string[];
  /** A Patient to send to `$match`, when the input can be matched fuzzily. */
  match?: Patient;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_FIRST_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/;

function birthDateOf(input: string): string | undefined {
  if (ISO_DATE.test(input)) return input;
  const dayFirst = DAY_FIRST_DATE.exec(input);
  if (!dayFirst) return undefined;
  const [, day, month, year] = dayFirst;
  return `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
}

const enc = encodeURIComponent;

export function searchPlan(raw: string): SearchPlan | undefined {
  const input = raw.trim().replace(/\s+/g, ' ');
  if (input.length < 2) return undefined;
  if (input.includes('@')) return { searches: [`email=${enc(input.toLowerCase())}`] };
  const birthDate = birthDateOf(input);
  if (birthDate) return { searches: [`birthdate=${birthDate}`] };
  const digits = input.replace(/[^\d]/g, '');
  if (/^[+\d\s().-]+$/.test(input) && digits.length >= 7)
    return {
      searches: [`phone=${enc(input)}`, `identifier=${enc(input)}`],
      match: { resourceType: 'Patient', telecom: [{ system: 'phone', value: input }] },
    };
  if (/\d/.test(input) && !input.includes(' ')) return { searches: [`identifier=${enc(input)}`] };
  const words = input.split(' ');
  const searches = [`name=${enc(input)}`];
  if (words.length === 1) return { searches };
  return {
    searches: [...searches, `given=${enc(words[0]!)}&family=${enc(words.slice(1).join(' '))}`],
    match: { resourceType: 'Patient', name: [{ given: [words[0]!], family: words.slice(1).join(' ') }] },
  };
}
