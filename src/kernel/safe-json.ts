import { ThroughlineError } from './errors.ts';

/**
 * JSON from outside, parsed with two guards every JSON edge shares (HTTP bodies, ndjson and
 * .json import):
 * - depth: a body nested 5,000 levels deep overflowed the stack of the code that walks it (a
 *   500), so nesting deeper than `maxDepth` is refused before `JSON.parse` runs, by a scan of the
 *   raw text that counts brackets outside strings (no recursion, one pass);
 * - prototype keys: `__proto__`, `constructor` and `prototype` are no FHIR element and no field
 *   of our APIs, yet a validator that looks names up in a plain object sees them as inherited
 *   properties and lets them through, and a consumer that merges the stored JSON is open to
 *   prototype pollution. They are refused anywhere in the document.
 */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/** Keys refused anywhere in a JSON document (they name Object.prototype machinery). */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/** The offset of the first bracket that opens level `maxDepth + 1`, or -1 when the text stays within it. */
export function depthExceededAt(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPENERS.has(c)) {
      if (++depth > maxDepth) return i;
    } else if (CLOSERS.has(c)) depth--;
  }
  return -1;
}

/** Refuses JSON text nested deeper than `maxDepth` (a coded 400 that says where and which setting). */
export function checkJsonDepth(text: string, maxDepth: number): void {
  const at = depthExceededAt(text, maxDepth);
  if (at < 0) return;
  throw new ThroughlineError(
    'INVALID_JSON',
    `JSON is nested deeper than ${maxDepth} levels (at character ${at}; the limit is MAX_JSON_DEPTH)`,
  );
}

/** The root of an expression: the resource type for a resource, nothing for plain JSON. */
function rootOf(value: unknown): string {
  const type = (value as { resourceType?: unknown } | null)?.resourceType;
  return value && typeof value === 'object' && typeof type === 'string' ? type : '';
}

/**
 * FHIRPath-style path of the first element whose key and value `match` (`Patient.name[0].given`;
 * `email` for plain JSON), walked with an explicit stack so no depth can overflow it.
 */
export function findPath(
  value: unknown,
  match: (key: string, child: unknown, inArray: boolean) => boolean,
): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: rootOf(value) }];
  while (stack.length > 0) {
    const { value: here, path } = stack.pop()!;
    if (!here || typeof here !== 'object') continue;
    const inArray = Array.isArray(here);
    const children = Object.entries(here).map(([key, child]) => ({
      key,
      value: child as unknown,
      path: inArray ? `${path}[${key}]` : path ? `${path}.${key}` : key,
    }));
    const found = children.find((child) => match(child.key, child.value, inArray));
    if (found) return found.path;
    // Children in reverse, so the walk meets them in document order.
    stack.push(...children.reverse());
  }
  return undefined;
}

/** The path of the first prototype key (`Patient.name[0].constructor`), if any. */
export const prototypeKeyPath = (value: unknown): string | undefined =>
  hasPrototypeKey(value)
    ? findPath(value, (key, _child, inArray) => !inArray && PROTOTYPE_KEYS.has(key))
    : undefined;

/**
 * Whether `findPath` above would find a prototype key: the same walk without building a path
 * for every element. Every resource written is checked and almost none has one, so the paths
 * are built only for the one that does (the eager walk was ≈ 0.05 ms per HL7 message).
 */
function hasPrototypeKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const here = stack.pop();
    if (!here || typeof here !== 'object') continue;
    const inArray = Array.isArray(here);
    for (const key of Object.keys(here)) {
      if (!inArray && PROTOTYPE_KEYS.has(key)) return true;
      stack.push((here as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/** Refuses a parsed value holding a prototype key, as an unknown element at its path. */
export function checkPrototypeKeys(value: unknown): void {
  const path = prototypeKeyPath(value);
  if (path === undefined) return;
  const key = path.slice(path.lastIndexOf('.') + 1);
  throw new ThroughlineError(
    rootOf(value) ? 'INVALID_RESOURCE' : 'INVALID_REQUEST',
    `Invalid additional property "${key}"`,
    { expression: path },
  );
}

/** Only text that names a prototype key (or escapes characters, which could spell one) needs the walk. */
const MAY_NAME_PROTOTYPE_KEY = /__proto__|constructor|prototype|\\u/;

/**
 * Parses JSON from outside: depth first (before anything recursive runs), then `JSON.parse`
 * (a syntax error is a coded INVALID_JSON), then the prototype keys.
 */
export function parseUntrustedJson(text: string, options: { maxDepth: number }): unknown {
  checkJsonDepth(text, options.maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ThroughlineError('INVALID_JSON', `Not valid JSON: ${(error as Error).message}`);
  }
  if (MAY_NAME_PROTOTYPE_KEY.test(text)) checkPrototypeKeys(value);
  return value;
}
