/** Normalization for matching: what two clerks would both have meant, compared as equal. */
const titles = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'rev', 'mx']);
const suffixes = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'md', 'phd']);

/** Lowercase, accents stripped, punctuation removed, titles and suffixes dropped. */
export function normalizeName(name: string | undefined): string {
  if (!name) return '';
  const words = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z\s-]/g, ' ')
    .split(/[\s-]+/)
    .filter((word) => word && !titles.has(word) && !suffixes.has(word));
  return words.join(' ');
}

/** Free text (street lines, places): lowercase, accents stripped, punctuation to single spaces. */
export function normalizeText(text: string | undefined): string {
  return (text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Digits only, the last 10 (drops country codes and formatting). */
export function normalizePhone(phone: string | undefined): string {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 7 ? digits.slice(-10) : '';
}

export function normalizeEmail(email: string | undefined): string {
  return (email ?? '').trim().toLowerCase();
}

export function normalizePostcode(postcode: string | undefined): string {
  return (postcode ?? '').replace(/\s+/g, '').toUpperCase();
}

/** American Soundex: a phonetic key that survives most spelling variants of a name. */
export function soundex(word: string): string {
  const letters = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!letters) return '';
  const codes: Record<string, string> = {
    b: '1',
    f: '1',
    p: '1',
    v: '1',
    c: '2',
    g: '2',
    j: '2',
    k: '2',
    q: '2',
    s: '2',
    x: '2',
    z: '2',
    d: '3',
    t: '3',
    l: '4',
    m: '5',
    n: '5',
    r: '6',
  };
  let result = letters[0]!.toUpperCase();
  let previous = codes[letters[0]!] ?? '';
  for (const letter of letters.slice(1)) {
    const code = codes[letter] ?? '';
    if (code && code !== previous) result += code;
    if (letter !== 'h' && letter !== 'w') previous = code;
  }
  return (result + '000').slice(0, 4);
}

/** Jaro–Winkler similarity in [0, 1]. Scratch flags are reused: it runs for millions of pairs. */
let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  if (!a || !b) return 0;
  if (matchedA.length < a.length || matchedB.length < b.length) {
    matchedA = new Uint8Array(Math.max(a.length, b.length) * 2);
    matchedB = new Uint8Array(matchedA.length);
  }
  matchedA.fill(0, 0, a.length);
  matchedB.fill(0, 0, b.length);
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (matchedB[j] || a[i] !== b[j]) continue;
      matchedA[i] = matchedB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[j]) j++;
    if (a[i] !== b[j++]) transpositions++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
