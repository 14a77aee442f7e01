/**
 * The SQL port the store is written against. Two adapters implement it: server PostgreSQL
 * (`pg`) and embedded PostgreSQL (PGlite). Both speak the same SQL dialect, so every query and
 * every migration is shared; only connection handling differs.
 */
export interface QueryResult<Row> {
  rows: Row[];
  affectedRows?: number;
}

export interface QueryOptions {
  /**
   * The statement is one of a bounded set of texts run again and again (the write path's
   * statements: values only ever travel as parameters). Server PostgreSQL then keeps it parsed
   * on each connection and skips parse and analysis on every later run; the plan is still made
   * for each run's values (`plan_cache_mode = force_custom_plan`), so stale statistics at the
   * moment of preparing cannot freeze a bad plan. PGlite ignores it.
   */
  prepare?: boolean;
  /**
   * A prepared statement whose right plan does not depend on the data: inserts from its
   * parameters, rows found by key through an index (the write statement of `runParts`). Inside
   * a transaction on server PostgreSQL it is planned once per connection, not on every run —
   * with seq scans, hash and merge joins off while it runs, so that one plan is index probes
   * whatever the tables held when it was made (`plan-settings.ts`). Elsewhere it is planned per
   * run as `prepare` says. Implies `prepare`.
   */
  planOnce?: boolean;
  /**
   * The caller needs no rows and nothing later in the transaction reads what the statement
   * writes (a transaction's audit row): inside a transaction on server PostgreSQL it waits to
   * travel with the transaction's next statement or with its COMMIT — one round trip fewer — and
   * the promise resolves at once, with no rows. If it fails, that statement or the COMMIT fails
   * with its error and the transaction rolls back: it still commits with the work, or neither
   * does. Elsewhere (outside a transaction, PGlite) it runs at once.
   */
  withCommit?: boolean;
}

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
