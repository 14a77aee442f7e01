import { birthDateLevel } from './compare-dates.ts';
import { emailLevel, identifierLevel, phoneLevel } from './compare-contacts.ts';
import { familyNameLevel, givenNameLevel } from './compare-names.ts';
import { placeLevel, postcodeLevel } from './compare-places.ts';
import type { MatchRecord } from './match-record.ts';

/**
 * One Fellegi–Sunter comparison: its levels (most similar first, the disagreement level
 * last) and how a pair falls into one. `undefined` means a side lacks the field, which is no
 * evidence either way. `termValue` names the value whose frequency adjusts an exact match.
 */
export interface Comparison {
  field: string;
  levels: readonly string[];
  level(a: MatchRecord, b: MatchRecord): string | undefined;
  termValue?(record: MatchRecord): string;
}

const place = (field: 'street' | 'city' | 'birthPlace'): Comparison => ({
  field,
  levels: ['exact', 'typo', 'similar', 'different'],
  level: (a, b) => placeLevel(a[field], b[field]),
  termValue: (record) => record[field],
});

export const comparisons: readonly Comparison[] = [
  {
    field: 'family',
    levels: ['exact', 'swapped', 'typo', 'similar', 'phonetic', 'different'],
    level: familyNameLevel,
    termValue: (record) => record.family,
  },
  {
    field: 'given',
    levels: ['exact', 'swapped', 'nickname', 'typo', 'similar', 'phonetic', 'initial', 'different'],
    level: givenNameLevel,
    termValue: (record) => record.given,
  },
  {
    field: 'birthDate',
    levels: ['exact', 'typo', 'day-month-swapped', 'within-month', 'same-year', 'different'],
    level: (a, b) => birthDateLevel(a.birthDate, b.birthDate),
  },
  {
    field: 'gender',
    levels: ['same', 'different'],
    level: (a, b) =>
      known(a.gender) && known(b.gender) ? (a.gender === b.gender ? 'same' : 'different') : undefined,
  },
  {
    field: 'phone',
    levels: ['shared', 'typo', 'different'],
    level: (a, b) => phoneLevel(a.phones, b.phones),
  },
  {
    field: 'email',
    levels: ['shared', 'same-user', 'similar', 'different'],
    level: (a, b) => emailLevel(a.emails, b.emails),
  },
  {
    field: 'postcode',
    levels: ['exact', 'typo', 'district', 'different'],
    level: (a, b) => postcodeLevel(a.postcode, b.postcode),
    termValue: (record) => record.postcode,
  },
  place('street'),
  place('city'),
  place('birthPlace'),
  {
    field: 'identifier',
    levels: ['shared', 'typo', 'same-system-different'],
    level: (a, b) => identifierLevel(a.identifiers, b.identifiers),
  },
];

function known(gender: string): boolean {
  return gender !== '' && gender !== 'unknown';
}
