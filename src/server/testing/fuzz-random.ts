/**
 * A small seeded generator for the fuzz test, shaped like fast-check's arbitraries so that
 * swapping it in is mechanical: a `Gen<T>` is `fc.Arbitrary<T>`, `oneOf` is `fc.oneof`, `pick`
 * is `fc.constantFrom`, and the runner's loop is `fc.assert(fc.asyncProperty(…), { numRuns,
 * interruptAfterTimeLimit, seed })`. Deterministic: one seed gives the same inputs in the same order.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  bool(probability?: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export type Gen<T> = (random: Random) => T;

/** mulberry32: tiny, fast, good enough to spread inputs (not for anything secret). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    bool: (probability = 0.5) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** One of the generators, chosen uniformly. */
export const oneOf =
  <T>(...gens: Gen<T>[]): Gen<T> =>
  (random) =>
    random.pick(gens)(random);

/** One of the generators, chosen by weight (`[weight, gen]` pairs). */
export function weighted<T>(...choices: [number, Gen<T>][]): Gen<T> {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0);
  return (random) => {
    let roll = random.next() * total;
    for (const [weight, gen] of choices) if ((roll -= weight) < 0) return gen(random);
    return choices.at(-1)![1](random);
  };
}

/** Text that breaks parsers and databases: delimiters, escapes, odd Unicode, SQL and path tricks. */
const NASTY = [
  '',
  ' ',
  '"',
  '\\',
  "'",
  "' OR 1=1 --",
  '%',
  '_',
  '*',
  '|',
  '^~\\&',
  '\r',
  '\n',
  '\t',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u00a0',
  '\u200b',
  '\u202e',
  '\ud800',
  '\udc00',
  '\ufeff',
  '\uffff',
  '😀',
  'é',
  'ß',
  'İ',
  '../',
  '/',
  '#',
  '?',
  '&',
  '=',
  ',',
  '$',
  ':',
  '.',
  '-1',
  '0',
  '1e309',
  '-0',
  'NaN',
  'null',
  'true',
  '9999-99-99',
  '2026-02-30',
  '2026-01-01T25:61:61Z',
  '20261399',
  'urn:uuid:',
  'http://',
  'Patient/',
  'Patient/../Patient/x',
  '%00',
  '%zz',
  '%C0%80',
  '%E0%A4%A',
  '${x}',
  '<script>',
  '\\X00\\',
  '\\E\\',
  '\\H\\',
];

/** A short or long string, mostly word characters with nasty pieces mixed in. */
export const nastyString: Gen<string> = (random) => {
  if (random.bool(0.03)) return random.pick(NASTY).repeat(random.int(100, 5000));
  const parts: string[] = [];
  for (let i = random.int(0, 4); i >= 0; i--)
    parts.push(
      random.bool(0.5) ? random.pick(NASTY) : random.next().toString(36).slice(2, random.int(3, 12)),
    );
  return parts.join('');
};

/** A JSON number that is valid JSON but odd for a database or a FHIR decimal. */
export const nastyNumber: Gen<number> = (random) =>
  random.pick([
    0,
    -0,
    1,
    -1,
    0.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 53 + 1,
    2 ** 31,
    -(2 ** 31) - 1,
    123456789.123456789,
  ]);

/** Percent-encodes any string, lone surrogates included (as U+FFFD: `encodeURIComponent` throws on them). */
export const encodeAny = (text: string): string => encodeURIComponent(text.toWellFormed());
