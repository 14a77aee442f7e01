import type { SqlExecutor } from './database.ts';

/**
 * Builds one statement out of data-modifying CTEs contributed by several parts of the write
 * path (resource rows, history, change events, search indexes). PostgreSQL runs them on one
 * snapshot in one round trip; on this kind of machine a round trip costs more than the rows.
 */
export interface StatementParts {
  /** Binds each array as `$n::type[]` and returns the placeholders, comma-separated. */
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
          values.push(array);
          return `$${values.length}::${types[at]}[]`;
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

/** Runs whatever `build` contributes as one statement (nothing when it contributes nothing). */
export async function runParts(tx: SqlExecutor, build: (parts: StatementParts) => void): Promise<void> {
  const parts = newStatementParts();
  build(parts);
  const sql = parts.sql();
  // The text depends only on which parts contribute, never on the number of rows: prepared.
  if (sql) await tx.query(sql, parts.values, { prepare: true });
}
