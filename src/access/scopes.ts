/**
 * SMART on FHIR scopes (v2 `system/Observation.rs`, v1 `user/*.read`) and the check of one
 * interaction against them. Interactions map to SMART v2 letters: c create, r read (also vread,
 * history, $everything), u update, d delete, s search.
 */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';

interface ParsedScope {
  context: 'system' | 'user' | 'patient';
  resourceType: string;
  allowed: Set<Interaction>;
}

const v1 = { read: 'rs', write: 'cud', '*': 'cruds' } as const;
const scopePattern = /^(system|user|patient)\/([A-Za-z]+|\*)\.([a-z*]+)$/;

/**
 * One resource scope, or undefined for anything else. SMART v2 granular scopes
 * (`patient/Observation.rs?category=vital-signs`) are not supported, so they parse to nothing:
 * never granted at authorize or the token endpoint, and worth nothing in a token (an external
 * provider's), rather than being enforced as the whole type.
 */
export function parseScope(scope: string): ParsedScope | undefined {
  const match = scopePattern.exec(scope);
  if (!match) return undefined;
  const [, context, resourceType, permissions] = match as unknown as [
    string,
    ParsedScope['context'],
    string,
    string,
  ];
  const letters = (v1 as Record<string, string>)[permissions] ?? permissions;
  if (!/^c?r?u?d?s?$/.test(letters) || letters.length === 0) return undefined;
  return { context, resourceType, allowed: new Set(letters.split('') as Interaction[]) };
}

export function scopesAllow(scopes: string[], resourceType: string, interaction: Interaction): boolean {
  return scopes.some((scope) => {
    const parsed = parseScope(scope);
    return (
      parsed !== undefined &&
      (parsed.resourceType === '*' || parsed.resourceType === resourceType) &&
      parsed.allowed.has(interaction)
    );
  });
}

/** The requested scopes a client may have: each must be covered by one of its allowed scopes. */
export function grantScopes(requested: string[], allowed: string[]): string[] {
  if (requested.length === 0) return allowed;
  return requested.filter((scope) => {
    const wanted = parseScope(scope);
    if (!wanted) return false;
    return allowed.some((allowedScope) => {
      const granted = parseScope(allowedScope);
      return (
        granted !== undefined &&
        granted.context === wanted.context &&
        (granted.resourceType === '*' || granted.resourceType === wanted.resourceType) &&
        [...wanted.allowed].every((letter) => granted.allowed.has(letter))
      );
    });
  });
}

/**
 * The scopes both lists allow (`patient/*.rs` and `patient/Observation.crs` → `patient/Observation.rs`):
 * what a proxy's grant gives, within what her own token may do. Context is `patient` (one
 * patient's compartment); a scope that does not parse counts for nothing.
 */
export function intersectScopes(a: string[], b: string[]): string[] {
  const found = new Set<string>();
  for (const left of a.map(parseScope))
    for (const right of b.map(parseScope)) {
      if (!left || !right) continue;
      const type = left.resourceType === '*' ? right.resourceType : left.resourceType;
      if (right.resourceType !== '*' && right.resourceType !== type) continue;
      const letters = 'cruds'.split('').filter((letter) => {
        const interaction = letter as Interaction;
        return left.allowed.has(interaction) && right.allowed.has(interaction);
      });
      if (letters.length > 0) found.add(`patient/${type}.${letters.join('')}`);
    }
  return [...found];
}
