import { createHash } from 'node:crypto';
import pg from 'pg';
import type { QueryOptions, QueryResult, SqlDatabase, SqlExecutor } from './database.ts';
import { asUnavailable, isConnectionFailure } from './connection-failures.ts';
import { pipelinedTransaction } from './pipelined-transaction.ts';
import { backgroundStatement, nextBackgroundTurn } from './background-duty.ts';
import { SESSION_SETTINGS } from './plan-settings.ts';
import { beginInteractiveStatement, isBackgroundWork } from './work-priority.ts';

// Keep timestamps and bigints as strings: the store formats them itself (FHIR instants, versions).
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export interface PostgresOptions {
  connectionString: string;
  /** Schema to use as search_path; tests use one schema per run to stay isolated. */
  schema?: string;
  maxConnections?: number;
  /**
   * Told when a pooled connection is lost while idle (the server restarted, the backend was
   * terminated): the pool has dropped it already and opens a new one when next needed.
   */
  onConnectionLost?: (error: Error) => void;
}

/**
 * How long opening a connection may take: a database that does not answer fails the request
 * with DATABASE_UNAVAILABLE (HTTP 503) instead of holding it until the HTTP request timeout.
 */
const CONNECT_TIMEOUT_MS = 5_000;

/** Names of the texts prepared so far: hashing the write statement's text on every run cost more than the lookup. */
const statementNames = new Map<string, string>();

/** How many names are kept: the prepared texts are a bounded set (`QueryOptions.prepare`), far fewer. */
const MAX_STATEMENT_NAMES = 1_000;

/** A prepared statement's name: the same text gets the same name on every connection. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `tl_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    if (statementNames.size >= MAX_STATEMENT_NAMES) statementNames.clear();
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * Background work (the reactions: `runAsBackground`) takes turns of a bounded share of Node's
 * event loop while requests are in flight (`background-duty.ts`, issue 17). A statement holds
 * its turn over the round trip (`backgroundStatement`: the database's time counts), its answer
 * waits for the next.
 * A transaction waits for its turn before it begins; statements inside it never wait (it may hold
 * locks a request needs).
 */
function wrap(client: pg.Pool): SqlExecutor {
  return {
    async query<Row>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<Row>> {
      const values = params as unknown[] | undefined;
      const prepare = options?.prepare || options?.planOnce;
      const query = prepare && values ? { name: statementName(sql), text: sql, values } : undefined;
      const result = await backgroundStatement(() =>
        whileInteractive(() =>
          (query ? client.query(query) : client.query(sql, values)).catch(asUnavailable),
        ),
      );
      return { rows: result.rows as Row[], affectedRows: result.rowCount ?? undefined };
    },
    async exec(sql: string): Promise<void> {
      await backgroundStatement(() => whileInteractive(() => client.query(sql).catch(asUnavailable)));
    },
  };
}

/**
 * Server PostgreSQL through a `pg` pool. A lost connection never ends the process: the pool's
 * 'error' event (an idle connection lost) is handled, a connection lost inside a transaction is
 * destroyed rather than returned to the pool, and every such failure reaches the caller as
 * DATABASE_UNAVAILABLE. The pool reconnects on the next query: no restart is needed.
 */
export function openPostgres(options: PostgresOptions): SqlDatabase {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A peer that vanished without closing (a cut network) is noticed by TCP keep-alive.
    keepAlive: true,
    // pg-pool awaits the promise returned here before it hands the new connection out (its
    // typings say void); if it fails, so does that request.
    onConnect: (client: pg.ClientBase) => client.query(SESSION_SETTINGS),
  });
  // Without a listener, an idle connection's error is an unhandled 'error' event: the process dies.
  pool.on('error', (error) => options.onConnectionLost?.(error));
  // The same holds for a connection out of the pool: pg-pool hands back a connection that failed
  // mid-query and ends it without a listener, and its backend's FATAL (pg_terminate_backend) can
  // still arrive as an 'error' event then. Every connection keeps a listener of its own for life;
  // the failure itself has reached its query (DATABASE_UNAVAILABLE) or the pool's listener above.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const executor = wrap(pool);
  return {
    dialect: 'postgres',
    query: executor.query,
    exec: executor.exec,
    transaction: (work) => inTransaction(pool, work),
    async close() {
      await pool.end();
    },
  };
}

/** Counts an interactive statement's time waiting on the database (`beginInteractiveStatement`). */
async function whileInteractive<T>(send: () => Promise<T>): Promise<T> {
  if (isBackgroundWork()) return send();
  const answered = beginInteractiveStatement();
  try {
    return await send();
  } finally {
    answered();
  }
}

function inTransaction<T>(pool: pg.Pool, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return whileInteractive(() => transactionOn(pool, work));
}

async function transactionOn<T>(pool: pg.Pool, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  const turn = nextBackgroundTurn();
  if (turn) await turn;
  const client = await pool.connect().catch(asUnavailable);
  // A checked-out client has no 'error' listener of the pool's: without this one, a backend
  // terminated mid-transaction would be an unhandled 'error' event.
  let lost: Error | undefined;
  const onError = (error: Error) => (lost ??= error);
  client.on('error', onError);
  let broken = false;
  // BEGIN travels with the transaction's first statement (one round trip fewer).
  const tx = pipelinedTransaction(client as unknown as Parameters<typeof pipelinedTransaction>[0], {
    statementName,
    orUnavailable: asUnavailable,
  });
  try {
    const result = await work(tx.executor);
    // COMMIT travels with any statement still waiting for it (`QueryOptions.withCommit`).
    await tx.commit();
    return result;
  } catch (error) {
    broken = lost !== undefined || isConnectionFailure(error);
    if (!broken && tx.finish()) await client.query('ROLLBACK').catch(() => undefined);
    return asUnavailable(lost && !isConnectionFailure(error) ? lost : error);
  } finally {
    client.removeListener('error', onError);
    // A broken connection is destroyed, not handed to the next caller.
    client.release(broken);
  }
}
