import type { SqlExecutor } from './database.ts';

/**
 * Builds one statement out of data-modifying CTEs contributed by several parts of the write
 * path (resource rows, history, change events, search indexes). PostgreSQL runs them on one
 * snapshot in one round trip; on this kind of machine a round trip costs more than the rows.
 */
export interface StatementParts {
  /**
   * Binds each array as a `type[]` value (`columnValue`) and returns the expressions,
   * comma-separated.
   */
  params(arrays: unknown[][], types: string[]): string;
  /** Binds one value as `$n::type` and returns the placeholder. */
  value(value: unknown, type: string): string;
  /** Adds `name AS (sql)`. */
  cte(name: string, sql: string): void;
}

export function newStatementParts(): StatementParts & { sql(): string | undefined; values: unknown[] } {
  const values: unknown[] = [];
  const ctes: string[] = [];
  return {
    values,
    params(arrays, types) {
      return arrays
        .map((array, at) => {
          const type = types[at]!;
          const joined = JOINABLE_TYPES.has(type) ? joinColumn(array) : undefined;
          values.push(joined ?? array);
          const placeholder = `$${values.length}`;
          return joined === undefined
            ? `${placeholder}::${type}[]`
            : `(string_to_array(${placeholder}::text, chr(1), chr(2)))[2:]::${type}[]`;
        })
        .join(', ');
    },
    value(value, type) {
      values.push(value);
      return `$${values.length}::${type}`;
    },
    cte(name, sql) {
      ctes.push(`${name} AS (${sql})`);
    },
    sql: () => (ctes.length === 0 ? undefined : `WITH ${ctes.join(',\n')}\nSELECT 1`),
  };
}

/** Column types whose values travel as their text (`joinColumn`); bytea and JSON keep arrays. */
const JOINABLE_TYPES = new Set(['text', 'bigint', 'int', 'timestamptz', 'numeric', 'boolean']);

const SEPARATOR = '\u0001';
const NULL_MARK = '\u0002';

/**
 * A column of the write statement as one text: each value after a U+0001, NULL as U+0002, split
 * by `string_to_array` and the leading empty element cut off (so a column of one empty string
 * is not read as no rows). An array parameter has `pg` quote and escape every element and
 * PostgreSQL parse the literal back (`array_in`); the write statement carries hundreds of short
 * values per message (index rows), so this costs both sides less. A column holding anything
 * else than strings, numbers and booleans, or a string containing either mark (validation
 * refuses such control characters in FHIR strings, but nothing here relies on it), stays an
 * array: `undefined`.
 */
function joinColumn(column: unknown[]): string | undefined {
  let joined = '';
  for (const value of column) {
    if (value === null || value === undefined) joined += SEPARATOR + NULL_MARK;
    else if (typeof value === 'string') {
      if (value.includes(SEPARATOR) || value.includes(NULL_MARK)) return undefined;
      joined += SEPARATOR + value;
    } else if (typeof value === 'number' || typeof value === 'boolean') joined += SEPARATOR + String(value);
    else return undefined;
  }
  return joined;
}

/** Runs whatever `build` contributes as one statement (nothing when it contributes nothing). */
export async function runParts(tx: SqlExecutor, build: (parts: StatementParts) => void): Promise<void> {
  const parts = newStatementParts();
  build(parts);
  const sql = parts.sql();
  // The text depends only on which parts contribute (and on which columns stay arrays,
  // `joinColumn`), never on the number of rows: prepared. Every part inserts from its
  // parameters or finds rows by key through an index, whatever the tables hold: planned once.
  if (sql) await tx.query(sql, parts.values, { planOnce: true });
}
