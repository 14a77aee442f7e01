import type { FieldExplanation } from '../review/review-task.ts';
import type { MatchRecord } from './match-record.ts';
import { areNicknames } from './nicknames.ts';
import { jaroWinkler, soundex } from './normalize.ts';

/**
 * Fellegi–Sunter comparison levels per field. Each level's weight is log2(m/u): m the
 * probability of the level among true matches, u among random pairs. The m/u values are set
 * from the record-linkage literature and checked on the demo clinic's known duplicates; they
 * are data (`MatchWeights`) so a trained model can replace them.
 */
export type MatchWeights = Record<string, Record<string, [m: number, u: number]>>;

export const defaultWeights: MatchWeights = {
  family: { exact: [0.88, 0.01], similar: [0.07, 0.01], phonetic: [0.02, 0.01], different: [0.03, 0.97] },
  given: {
    exact: [0.82, 0.02],
    nickname: [0.08, 0.002],
    similar: [0.05, 0.01],
    initial: [0.02, 0.05],
    different: [0.03, 0.92],
  },
  birthDate: {
    exact: [0.93, 0.003],
    typo: [0.05, 0.002],
    'same-year': [0.01, 0.03],
    different: [0.01, 0.967],
  },
  gender: { same: [0.98, 0.5], different: [0.02, 0.5] },
  phone: { shared: [0.6, 0.0005], different: [0.4, 0.9995] },
  email: { shared: [0.5, 0.0002], different: [0.5, 0.9998] },
  postcode: { same: [0.75, 0.05], different: [0.25, 0.95] },
  identifier: { shared: [0.4, 0.00001], 'same-system-different': [0.05, 0.2] },
};

function weight(weights: MatchWeights, field: string, level: string): FieldExplanation {
  const [m, u] = weights[field]![level]!;
  return { field, level, weight: Math.round(Math.log2(m / u) * 100) / 100 };
}

function nameLevel(a: string, b: string, allowNickname: boolean): string {
  if (a === b) return 'exact';
  if (allowNickname && areNicknames(a, b)) return 'nickname';
  if (jaroWinkler(a, b) >= 0.9) return 'similar';
  if (!allowNickname && soundex(a) === soundex(b)) return 'phonetic';
  if (allowNickname && a[0] === b[0] && (a.length === 1 || b.length === 1)) return 'initial';
  return 'different';
}

/** One digit different, or day and month swapped: the usual keying errors in a birth date. */
function dateLevel(a: string, b: string): string {
  if (a === b) return 'exact';
  if (a.length === 10 && b.length === 10) {
    const diff = [...a].filter((char, i) => char !== b[i]).length;
    const swapped = `${a.slice(0, 4)}-${a.slice(8, 10)}-${a.slice(5, 7)}` === b;
    if (diff === 1 || swapped || (diff === 2 && a.slice(0, 4) === b.slice(0, 4))) return 'typo';
  }
  return a.slice(0, 4) === b.slice(0, 4) ? 'same-year' : 'different';
}

const shares = (a: string[], b: string[]) => a.some((value) => b.includes(value));

/** Per-field levels and weights; a field missing on either side contributes nothing. */
export function compareFields(
  a: MatchRecord,
  b: MatchRecord,
  weights: MatchWeights = defaultWeights,
): FieldExplanation[] {
  const out: FieldExplanation[] = [];
  const swapped = a.given === b.family && a.family === b.given && a.given !== a.family;
  if (a.family && b.family)
    out.push(weight(weights, 'family', swapped ? 'exact' : nameLevel(a.family, b.family, false)));
  if (a.given && b.given)
    out.push(weight(weights, 'given', swapped ? 'exact' : nameLevel(a.given, b.given, true)));
  if (a.birthDate && b.birthDate) out.push(weight(weights, 'birthDate', dateLevel(a.birthDate, b.birthDate)));
  if (a.gender && b.gender && a.gender !== 'unknown' && b.gender !== 'unknown')
    out.push(weight(weights, 'gender', a.gender === b.gender ? 'same' : 'different'));
  if (a.phones.length && b.phones.length)
    out.push(weight(weights, 'phone', shares(a.phones, b.phones) ? 'shared' : 'different'));
  if (a.emails.length && b.emails.length)
    out.push(weight(weights, 'email', shares(a.emails, b.emails) ? 'shared' : 'different'));
  if (a.postcode && b.postcode)
    out.push(weight(weights, 'postcode', a.postcode === b.postcode ? 'same' : 'different'));
  if (shares(a.identifiers, b.identifiers)) out.push(weight(weights, 'identifier', 'shared'));
  else if (sameSystemDifferentValue(a.identifiers, b.identifiers))
    out.push(weight(weights, 'identifier', 'same-system-different'));
  return out;
}

function sameSystemDifferentValue(a: string[], b: string[]): boolean {
  const systems = new Set(a.map((id) => id.split('|')[0]));
  return b.some((id) => systems.has(id.split('|')[0]));
}
