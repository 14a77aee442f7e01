import { parseDateRange, type DateRange } from '../../fhir/search-date-range.ts';
import { invalid } from './search-request.ts';
import { lazy, type SqlArgs } from './sql-args.ts';

/**
 * Prefix comparisons of R4 3.1.1.4 between a search range [sl, sh] and an indexed range
 * [low, high], both inclusive. E.g. `gt`: the range above the search value overlaps the
 * target; `eq`: the search range contains the target.
 */
const prefixes = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
type Prefix = (typeof prefixes)[number];

export function splitPrefix(name: string, value: string): { prefix: Prefix; rest: string } {
  const match = /^([a-z]{2})?(.*)$/.exec(value)!;
  const prefix = (match[1] ?? 'eq') as Prefix;
  if (!prefixes.includes(prefix)) throw invalid(`${name}: unknown prefix "${match[1]}" in "${value}"`, name);
  return { prefix, rest: match[2]! };
}

interface Bounds {
  sl: () => string;
  sh: () => string;
}

/** The columns holding an indexed range's inclusive bounds (SQL expressions). */
export interface RangeColumns {
  low: string;
  high: string;
}

/** A prefixed search value (`ge2020-01`, `lt5.4`) of the parameter `name` (named in errors). */
export interface PrefixedValue {
  name: string;
  value: string;
}

function compare(prefix: Prefix, { low, high }: RangeColumns, b: Bounds): string {
  const eq = (): string => `(${low} >= ${b.sl()} AND ${high} <= ${b.sh()})`;
  switch (prefix) {
    case 'eq':
      // `low <= sh` follows from `low <= high <= sh`; said outright, it bounds `low` on both
      // sides, so the lookup index (…, low, high) reads just the range instead of every later
      // value (a day's Slots rather than all future ones).
      return `(${low} >= ${b.sl()} AND ${low} <= ${b.sh()} AND ${high} <= ${b.sh()})`;
    case 'ne':
      return `NOT ${eq()}`;
    case 'gt':
      return `${high} > ${b.sh()}`;
    case 'lt':
      return `${low} < ${b.sl()}`;
    case 'ge':
      return `(${high} > ${b.sh()} OR ${eq()})`;
    case 'le':
      return `(${low} < ${b.sl()} OR ${eq()})`;
    case 'sa':
      return `${low} > ${b.sh()}`;
    case 'eb':
      return `${high} < ${b.sl()}`;
    case 'ap':
      return `(${low} <= ${b.sh()} AND ${high} >= ${b.sl()})`;
  }
}

/** `ap` widens the search range by 10% of its distance from now (at least a day), as R4 suggests. */
function approximate(range: DateRange, now: number): DateRange {
  const margin = Math.max(86_400_000, Math.abs(now - range.low) * 0.1);
  return { low: range.low - margin, high: range.high + margin };
}

export function dateCondition(args: SqlArgs, { name, value }: PrefixedValue, columns: RangeColumns): string {
  const { prefix, rest } = splitPrefix(name, value);
  let range = parseDateRange(rest);
  if (!range) throw invalid(`${name}: "${value}" is not a valid date`, name);
  if (prefix === 'ap') range = approximate(range, Date.now());
  const bounds = {
    sl: lazy(args, new Date(range.low).toISOString(), 'timestamptz'),
    sh: lazy(args, new Date(range.high).toISOString(), 'timestamptz'),
  };
  return compare(prefix, columns, bounds);
}

/**
 * Numbers carry implicit precision: `100` means [99.5, 100.5), `100.0` [99.95, 100.05).
 * Indexed values are points (or Range bounds), so eq/ne use the precision range and the other
 * prefixes compare with the number itself.
 */
export function numberCondition(
  args: SqlArgs,
  { name, value }: PrefixedValue,
  { low, high }: RangeColumns,
): string {
  const { prefix, rest } = splitPrefix(name, value);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(rest)) {
    throw invalid(`${name}: "${value}" is not a valid number`, name);
  }
  const number = Number(rest);
  const half = 0.5 * 10 ** -decimals(rest);
  const spread = prefix === 'ap' ? Math.max(half, Math.abs(number) * 0.1) : half;
  const sl = lazy(args, number - spread, 'numeric');
  const sh = lazy(args, number + spread, 'numeric');
  const point = lazy(args, number, 'numeric');
  const eq = (): string => `(${low} >= ${sl()} AND ${high} < ${sh()})`;
  const cases: Record<Prefix, () => string> = {
    eq,
    ne: () => `NOT ${eq()}`,
    gt: () => `${high} > ${point()}`,
    lt: () => `${low} < ${point()}`,
    ge: () => `${high} >= ${point()}`,
    le: () => `${low} <= ${point()}`,
    sa: () => `${low} > ${point()}`,
    eb: () => `${high} < ${point()}`,
    ap: () => `(${low} <= ${sh()} AND ${high} >= ${sl()})`,
  };
  return cases[prefix]();
}

function decimals(text: string): number {
  const mantissa = text.split(/[eE]/)[0]!;
  const dot = mantissa.indexOf('.');
  return dot < 0 ? 0 : mantissa.length - dot - 1;
}
