import type pg from 'pg';
import type { QueryOptions, QueryResult, SqlExecutor } from './database.ts';
import { closeStatements, PipelinedQueries, type PipelinedStatement } from './pipelined-queries.ts';
import { PLAN_EACH_RUN, PLAN_ONCE } from './plan-settings.ts';

/** A statement issued in the transaction and not yet sent. */
interface Issued {
  /** Values: a statement that can share a round trip; none: a script (simple protocol). */
  statement: PipelinedStatement | { script: string };
  resolve(result: pg.QueryResult): void;
  reject(error: unknown): void;
}

export interface PipelinedTransaction {
  executor: SqlExecutor;
  /**
   * Sends what is still waiting with COMMIT (one round trip; nothing if nothing was issued) and
   * fails if any statement of the transaction failed, also one sent `withCommit`.
   */
  commit(): Promise<void>;
  /** Sends what is still waiting; then whether BEGIN was sent (if not, nothing to roll back). */
  finish(): boolean;
}

interface Naming {
  /** The prepared statement's name for `QueryOptions.prepare`. */
  statementName(sql: string): string;
  orUnavailable(error: unknown): never;
}

/** The parts of a checked-out client this needs: its queue and the statements it has parsed. */
type Client = Pick<pg.PoolClient, 'query'> & {
  connection: { parsedStatements: Record<string, string> };
};

const COMMIT: PipelinedStatement = { text: 'COMMIT', values: [] };

/**
 * One transaction's statements on a checked-out client. BEGIN is not sent alone: it travels
 * with the first statement. Statements issued together — in one turn of the event loop, as
 * `Promise.all` does — go in one write and one round trip (`PipelinedQueries`), in the order
 * issued; PostgreSQL still runs each after the one before, with its own snapshot, so issuing
 * together changes nothing but the waiting. A statement issued `withCommit` waits for the next
 * one or for COMMIT. Scripts (no parameters) go as before, in order.
 */
export function pipelinedTransaction(client: Client, naming: Naming): PipelinedTransaction {
  let begun = false;
  let issued: Issued[] = [];
  let scheduled = false;
  // A `withCommit` statement's caller has moved on: its failure is kept for the COMMIT to report
  // (PostgreSQL answers COMMIT of a failed transaction with a rollback, not an error).
  let failedLater: { error: unknown } | undefined;
  const send = () => {
    scheduled = false;
    const batch = issued;
    issued = [];
    for (const group of groups(batch)) {
      sendGroup(client, group, !begun);
      begun = true;
    }
  };
  const issue: Issue = (statement, options = { wait: false }) =>
    new Promise<pg.QueryResult>((resolve, reject) => {
      issued.push({ statement, resolve, reject });
      if (!options.wait && !scheduled) {
        scheduled = true;
        queueMicrotask(send);
      }
    }).catch(naming.orUnavailable);
  const executor = transactionExecutor({
    issue,
    naming,
    failedLater: (error) => (failedLater ??= { error }),
  });
  return {
    executor,
    async commit() {
      if (!begun && issued.length === 0) return;
      await issue(COMMIT);
      if (failedLater) throw failedLater.error;
    },
    finish: () => {
      send();
      return begun;
    },
  };
}

type Issue = (statement: Issued['statement'], options?: { wait: boolean }) => Promise<pg.QueryResult>;

/** The transaction's `SqlExecutor`: each statement issued; a `withCommit` one without waiting for it. */
function transactionExecutor(on: {
  issue: Issue;
  naming: Naming;
  failedLater: (error: unknown) => void;
}): SqlExecutor {
  const { issue, naming } = on;
  return {
    async query<Row>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<Row>> {
      // Without values node-postgres uses the simple protocol (which allows several statements).
      const prepare = options?.prepare || options?.planOnce;
      const statement =
        params && params.length > 0
          ? { text: sql, values: params, name: prepare ? naming.statementName(sql) : undefined }
          : { script: sql };
      if (options?.withCommit && 'text' in statement) {
        issue(statement, { wait: true }).catch(on.failedLater);
        return { rows: [] };
      }
      const result = await ('text' in statement && options?.planOnce
        ? issuePlannedOnce(statement as PipelinedStatement, on)
        : issue(statement));
      return { rows: result.rows as Row[], affectedRows: result.rowCount ?? undefined };
    },
    async exec(sql: string): Promise<void> {
      await issue({ script: sql });
    },
  };
}

/**
 * `QueryOptions.planOnce`: the statement between the settings that plan it once and those that
 * plan each run again, issued together (one round trip). If any of the three fails, the
 * statement's promise carries the failure.
 */
function issuePlannedOnce(
  statement: PipelinedStatement,
  on: { issue: Issue; naming: Naming },
): Promise<pg.QueryResult> {
  const setting = (settings: Omit<PipelinedStatement, 'name'>) =>
    on.issue({ ...settings, name: on.naming.statementName(settings.text) });
  const before = setting(PLAN_ONCE);
  const result = on.issue(statement);
  const after = setting(PLAN_EACH_RUN);
  return Promise.all([before, result, after]).then(([, answer]) => answer);
}

/** Consecutive statements with values form one group; each script is a group of its own. */
function groups(batch: Issued[]): Issued[][] {
  const out: Issued[][] = [];
  for (const each of batch) {
    const last = out.at(-1);
    if ('script' in each.statement || !last || 'script' in last[0]!.statement) out.push([each]);
    else last.push(each);
  }
  return out;
}

/** Queues one group on the client (its queue keeps the order), with BEGIN first if `begin`. */
function sendGroup(client: Client, group: Issued[], begin: boolean): void {
  const first = group[0]!.statement;
  if ('script' in first) {
    // BEGIN and the script in one simple-protocol message: the script's result is the last.
    const text = begin ? `BEGIN;\n${first.script}` : first.script;
    client.query(text).then(
      (result) => group[0]!.resolve(lastResult(result)),
      (error: unknown) => group[0]!.reject(error),
    );
    return;
  }
  const statements = group.map((each) => each.statement as PipelinedStatement);
  const all = begin ? [{ text: 'BEGIN', values: [] }, ...statements] : statements;
  const parsed = client.connection.parsedStatements;
  const parsing = firstOfEachName(all.filter((each) => each.name && parsed[each.name] === undefined));
  const pipeline = new PipelinedQueries(all, { parse: parsing }, (error, results) => {
    if (error) {
      // A statement parsed before the failure exists on the server: close them all, so the
      // next use parses it again instead of failing on a name already taken.
      if (parsing.length > 0)
        client.query(closeStatements(parsing.map((each) => each.name!)) as unknown as pg.QueryConfig);
      for (const each of group) each.reject(error);
      return;
    }
    for (const each of parsing) parsed[each.name!] = each.text;
    const offset = all.length - group.length;
    group.forEach((each, at) => each.resolve(results![offset + at]!));
  });
  client.query(pipeline as unknown as pg.QueryConfig);
}

/** A name is parsed by its first statement only: a second Parse of it fails ("already exists"). */
function firstOfEachName(statements: PipelinedStatement[]): PipelinedStatement[] {
  const seen = new Set<string>();
  return statements.filter((each) => !seen.has(each.name!) && seen.add(each.name!));
}

function lastResult(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult {
  return Array.isArray(result) ? result.at(-1)! : result;
}
