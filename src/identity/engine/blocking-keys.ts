import type { MatchRecord } from './match-record.ts';
import { soundex } from './normalize.ts';

/**
 * Blocking keys: several, so a typo in one field does not hide a true pair — phonetic family
 * + birth year, phonetic given + birth date, both phonetic names, birth date + sex, birth
 * date + postcode, house number + postcode or city, postcode + initials, each phone, each email, each identifier.
 */
export function blockingKeysOf(record: MatchRecord): string[] {
  const { given, family, birthDate, postcode } = record;
  const year = birthDate.slice(0, 4);
  const houseNumber = /^\d+/.exec(record.street)?.[0];
  const keys = [
    family && year ? `fy:${soundex(family)}:${year}` : '',
    given && birthDate ? `gd:${soundex(given)}:${birthDate}` : '',
    // Sorted, so a swap of given and family name still lands in the same block.
    family && given ? `fg:${[soundex(family), soundex(given)].sort().join(':')}` : '',
    // Single fields: a rare surname, given name or birth date is a block on its own; a common
    // one makes a block over the size limit, which candidate generation skips.
    family ? `f:${family}` : '',
    given ? `g:${given}` : '',
    birthDate ? `d:${birthDate}` : '',
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
