import type { FastifyInstance } from 'fastify';
import { ThroughlineError } from '../kernel/errors.ts';

/**
 * U+0000 is refused at the edge, once for every route: PostgreSQL text cannot hold it (every
 * query that binds it fails, which was answered 500), and FHIR strings may not hold it either
 * (R4 2.1.28.0.1: no characters below U+0020 but tab, CR and LF). The answer is a 400 naming
 * the parameter or element that carried it.
 */
const NUL = '\u0000';

export function nulRejected(expression: string): ThroughlineError {
  return new ThroughlineError('INVALID_REQUEST', `${expression} contains a NUL character (U+0000)`, {
    expression,
  });
}

/** The first query parameter (or the path) of a raw request URL that holds a NUL. */
export function nulInUrl(url: string): string | undefined {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  if (/%00/.test(path) || path.includes(NUL)) return 'url';
  if (at < 0) return undefined;
  return nulInPairs([...new URLSearchParams(url.slice(at + 1))]);
}

/** The name of the first form or query pair whose name or value holds a NUL. */
export function nulInPairs(pairs: [string, string][]): string | undefined {
  const found = pairs.find(([name, value]) => name.includes(NUL) || value.includes(NUL));
  return found && (found[0].replaceAll(NUL, '') || 'parameter');
}

/**
 * Where a parsed JSON body holds a NUL (in a key or a string), FHIRPath-style: `Patient.name[0].given[0]`
 * for a resource, `email` for plain JSON. `raw` lets the common case (no `\u0000` in the text) skip the walk.
 */
export function nulInJson(raw: string, value: unknown): string | undefined {
  if (!raw.includes('\\u0000')) return undefined;
  const root =
    value &&
    typeof value === 'object' &&
    typeof (value as { resourceType?: unknown }).resourceType === 'string'
      ? (value as { resourceType: string }).resourceType
      : '';
  return walk(value, root);
}

function walk(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path || 'body' : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = walk(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key.replaceAll(NUL, '')}` : key.replaceAll(NUL, '');
    if (key.includes(NUL)) return here || 'body';
    const found = walk(child, here);
    if (found) return found;
  }
  return undefined;
}

/** The query string and path, before anything else runs (bodies are checked by their parsers). */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const expression = nulInUrl(request.url);
    if (expression) throw nulRejected(expression);
  });
}
