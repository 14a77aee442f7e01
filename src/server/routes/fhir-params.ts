import { ThroughlineError } from '../../kernel/errors.ts';

/** Query parameters of history and $everything, parsed with coded errors. */
type Pairs = [string, string][];

function value(pairs: Pairs, name: string): string | undefined {
  return pairs.find(([key]) => key === name)?.[1];
}

function nonNegative(pairs: Pairs, name: string): number | undefined {
  const raw = value(pairs, name);
  if (raw === undefined) return undefined;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new ThroughlineError('INVALID_SEARCH', `${name} must be a non-negative integer`, {
      expression: name,
    });
  }
  return parsed;
}

export function parseIfMatch(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?([0-9]+)"?$/.exec(header.trim());
  if (!match) throw new ThroughlineError('INVALID_REQUEST', `Invalid If-Match header "${header}"`);
  return match[1];
}

export function historyOptions(pairs: Pairs) {
  return {
    since: value(pairs, '_since'),
    count: nonNegative(pairs, '_count'),
    offset: nonNegative(pairs, '_offset'),
  };
}

export function everythingOptions(pairs: Pairs) {
  const types = value(pairs, '_type');
  return {
    since: value(pairs, '_since'),
    types: types ? types.split(',') : undefined,
    count: nonNegative(pairs, '_count'),
    offset: nonNegative(pairs, '_offset'),
  };
}
