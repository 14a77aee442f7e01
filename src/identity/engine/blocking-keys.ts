import type { MatchRecord } from './match-record.ts';
import { soundex } from './normalize.ts';

/**
 * Blocking keys: several, so a typo in one field does not hide a true pair — the keys that
 * combine fields (below) plus single rare values: a rare surname, given name or birth date is
 * a block on its own; a common one makes a block over the size limit, which candidate
 * generation skips.
 */
export function blockingKeysOf(record: MatchRecord): string[] {
  const { given, family, birthDate } = record;
  const single = [family ? `f:${family}` : '', given ? `g:${given}` : '', birthDate ? `d:${birthDate}` : ''];
  return [...new Set([...combinedKeysOf(record), ...single.filter(Boolean)])];
}

/**
 * The stricter keys, each combining fields (or a unique contact/identifier): phonetic family
 * + birth year, phonetic given + birth date, both phonetic names in either order, birth date +
 * sex or postcode, house number + postcode or city, postcode + initials, each phone, email and
 * identifier. Training uses only these: the pairs they give are mostly matches or near-misses,
 * which keeps EM on the person, not on "shares a first name".
 */
export function combinedKeysOf(record: MatchRecord): string[] {
  const { given, family, birthDate, postcode } = record;
  const year = birthDate.slice(0, 4);
  const houseNumber = /^\d+/.exec(record.street)?.[0];
  const keys = [
    family && year ? `fy:${soundex(family)}:${year}` : '',
    given && birthDate ? `gd:${soundex(given)}:${birthDate}` : '',
    family && given ? `fg:${[soundex(family), soundex(given)].sort().join(':')}` : '',
    birthDate && record.gender ? `ds:${birthDate}:${record.gender}` : '',
    birthDate && postcode ? `dp:${birthDate}:${postcode}` : '',
    postcode && houseNumber ? `pn:${postcode}:${houseNumber}` : '',
    record.city && houseNumber ? `cn:${record.city}:${houseNumber}` : '',
    postcode && given && family ? `pi:${postcode}:${given[0]}${family[0]}` : '',
    ...record.phones.map((phone) => `ph:${phone}`),
    ...record.emails.map((email) => `em:${email}`),
    ...record.identifiers.map((identifier) => `id:${identifier}`),
  ];
  return [...new Set(keys.filter(Boolean))];
}
