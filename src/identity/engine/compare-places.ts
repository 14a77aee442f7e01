import { jaroWinkler } from './normalize.ts';
import { withinEdits } from './string-distance.ts';

/** Postcodes: exact, one keying error, or the same district (UK outward code, first digits). */
export function postcodeLevel(a: string, b: string): string | undefined {
  if (!a || !b) return undefined;
  if (a === b) return 'exact';
  if (withinEdits(a, b, 1)) return 'typo';
  if (a.length >= 5 && a.length === b.length && a.slice(0, -3) === b.slice(0, -3)) return 'district';
  return 'different';
}

/** Free-text places (street line, city, birth place): exact, one typo, a close spelling. */
export function placeLevel(a: string, b: string): string | undefined {
  if (!a || !b) return undefined;
  if (a === b) return 'exact';
  if (withinEdits(a, b, 1)) return 'typo';
  return jaroWinkler(a, b) >= 0.88 ? 'similar' : 'different';
}
