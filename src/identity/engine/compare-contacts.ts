import { withinEdits } from './string-distance.ts';

const shares = (a: string[], b: string[]) => a.some((value) => b.includes(value));
const anyPair = (a: string[], b: string[], test: (x: string, y: string) => boolean) =>
  a.some((x) => b.some((y) => test(x, y)));

export function phoneLevel(a: string[], b: string[]): string | undefined {
  if (!a.length || !b.length) return undefined;
  if (shares(a, b)) return 'shared';
  return anyPair(a, b, (x, y) => withinEdits(x, y, 1)) ? 'typo' : 'different';
}

/** Emails: the same address, the same mailbox name at another domain, or within two typos. */
export function emailLevel(a: string[], b: string[]): string | undefined {
  if (!a.length || !b.length) return undefined;
  if (shares(a, b)) return 'shared';
  if (anyPair(a, b, (x, y) => x.split('@')[0] === y.split('@')[0])) return 'same-user';
  return anyPair(a, b, (x, y) => withinEdits(x, y, 2)) ? 'similar' : 'different';
}

/**
 * Identifiers (`system|value`): a shared one, one keying error in the value under the same
 * system, or the same system with another value. Nothing when the systems never overlap.
 */
export function identifierLevel(a: string[], b: string[]): string | undefined {
  if (shares(a, b)) return 'shared';
  const system = (id: string) => id.slice(0, id.indexOf('|'));
  const sameSystem = (x: string, y: string) => system(x) === system(y);
  if (anyPair(a, b, (x, y) => sameSystem(x, y) && withinEdits(x, y, 1))) return 'typo';
  return anyPair(a, b, sameSystem) ? 'same-system-different' : undefined;
}
