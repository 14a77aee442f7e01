import type { MatchRecord } from './match-record.ts';
import { areNicknames } from './nicknames.ts';
import { jaroWinkler, soundex } from './normalize.ts';
import { withinEdits } from './string-distance.ts';

/**
 * Given and family name written in each other's place (within one typo each). Clerks and
 * forms that put the surname first make this common, and it must not read as two people.
 */
export function namesSwapped(a: MatchRecord, b: MatchRecord): boolean {
  if (!a.given || !a.family || !b.given || !b.family || a.given === a.family) return false;
  if (a.given === b.given && a.family === b.family) return false;
  return withinEdits(a.given, b.family, 1) && withinEdits(a.family, b.given, 1);
}

/** Graded levels for a given name, most similar first. */
export function givenNameLevel(a: MatchRecord, b: MatchRecord): string | undefined {
  if (!a.given || !b.given) return undefined;
  if (a.given === b.given) return 'exact';
  if (namesSwapped(a, b)) return 'swapped';
  if (areNicknames(a.given, b.given)) return 'nickname';
  return spellingLevel(a.given, b.given) ?? initialLevel(a.given, b.given);
}

/** Graded levels for a family name, most similar first. */
export function familyNameLevel(a: MatchRecord, b: MatchRecord): string | undefined {
  if (!a.family || !b.family) return undefined;
  if (a.family === b.family) return 'exact';
  if (namesSwapped(a, b)) return 'swapped';
  return spellingLevel(a.family, b.family) ?? 'different';
}

/** One keying error, a close spelling, or the same sound. */
function spellingLevel(a: string, b: string): string | undefined {
  if (withinEdits(a, b, 1)) return 'typo';
  if (jaroWinkler(a, b) >= 0.9) return 'similar';
  if (soundex(a) === soundex(b)) return 'phonetic';
  return undefined;
}

function initialLevel(a: string, b: string): string {
  return a[0] === b[0] && (a.length === 1 || b.length === 1) ? 'initial' : 'different';
}
