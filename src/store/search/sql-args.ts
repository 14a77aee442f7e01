import type { SearchScope } from './contract.ts';

/** Collects bind parameters while SQL text is assembled; `add` returns the placeholder. */
export interface SqlArgs {
  values: unknown[];
  /** Counter for unique table aliases in nested (chained) subqueries. */
  aliases: number;
  /** The caller's scope, for the rows nested subqueries (chains, `_has`) look into. */
  scope?: SearchScope;
}

export function newArgs(scope?: SearchScope): SqlArgs {
  return { values: [], aliases: 0, ...(scope ? { scope } : {}) };
}

export function add(args: SqlArgs, value: unknown): string {
  args.values.push(value);
  return `$${args.values.length}`;
}

export function alias(args: SqlArgs, prefix: string): string {
  args.aliases += 1;
  return `${prefix}${args.aliases}`;
}

/** A placeholder bound only if the SQL ends up using it: PostgreSQL cannot type unused parameters. */
export function lazy(args: SqlArgs, value: unknown, cast: string): () => string {
  let placeholder: string | undefined;
  return () => (placeholder ??= `${add(args, value)}::${cast}`);
}

/** Which index rows belong to a parameter: its own code, or the codes (and target types) it derives from. */
export function codeCondition(
  args: SqlArgs,
  table: string,
  sources: { code: string; targetType?: string }[],
): string {
  const plain = sources.filter((source) => !source.targetType).map((source) => source.code);
  const parts = sources
    .filter((source) => source.targetType)
    .map(
      (source) =>
        `(${table}.code = ${add(args, source.code)} AND ${table}.target_type = ${add(args, source.targetType)})`,
    );
  if (plain.length === 1) parts.unshift(`${table}.code = ${add(args, plain[0])}`);
  if (plain.length > 1) parts.unshift(`${table}.code = ANY(${add(args, plain)}::text[])`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
}
