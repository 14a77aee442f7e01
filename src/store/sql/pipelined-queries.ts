import { createRequire } from 'node:module';
import type { FieldDef, QueryResult, QueryResultRow } from 'pg';

const require = createRequire(import.meta.url);
// node-postgres's own value mapping (Dates, arrays, Buffers, JSON) and result building, so a
// pipelined statement sends and reads exactly what `client.query` would (neither is typed).
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue(value: unknown): unknown };
const Result = require('pg/lib/result.js') as new () => ResultBuilder;

interface ResultBuilder extends QueryResult {
  addFields(fields: FieldDef[]): void;
  parseRow(fields: unknown[]): QueryResultRow;
  addRow(row: QueryResultRow): void;
  addCommandComplete(message: unknown): void;
}

/** The parts of node-postgres's connection a submittable writes to. */
interface Connection {
  stream: { cork?: () => void; uncork?: () => void };
  parse(query: { text: string; name: string }): void;
  close(message: { type: 'S'; name: string }): void;
  bind(config: { statement: string; values: unknown[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(config: { portal: string }): void;
  sync(): void;
}

/** One statement of a pipeline: its text (or the name it was prepared under) and its values. */
export interface PipelinedStatement {
  text: string;
  values: unknown[];
  /** A statement this connection has parsed already (`Connection.parsedStatements`). */
  name?: string;
}

type Done = (error: Error | null, results?: QueryResult[]) => void;

/**
 * Several statements in one write and one round trip (PostgreSQL's extended protocol, one Sync
 * at the end): the server runs them in order, each with a snapshot of its own as if sent one
 * after another, and stops at the first that fails (the rest are skipped up to the Sync). Used
 * for a transaction's BEGIN and for statements a caller issues together: on a loaded machine a
 * round trip (a write to the socket and a wake-up on each side) costs more CPU than a small
 * statement. A node-postgres "submittable": the client hands it the server's messages.
 */
export class PipelinedQueries {
  private readonly results: ResultBuilder[];
  /** The statement whose answer is arriving. */
  private at = 0;
  private rowError: Error | undefined;
  private done: Done | undefined;
  /** Named statements this connection has not parsed yet: parsed here, under their names. */
  private readonly parse: Set<PipelinedStatement>;

  constructor(statements: PipelinedStatement[], options: { parse: PipelinedStatement[] }, done: Done) {
    this.statements = statements;
    this.results = statements.map(() => new Result());
    this.parse = new Set(options.parse);
    this.done = done;
  }

  private readonly statements: PipelinedStatement[];

  /** Parse (unnamed statements and `parse`), Bind, Describe and Execute each, then one Sync. */
  submit(connection: Connection): Error | null {
    let values: unknown[][];
    try {
      // Mapped before anything is written: a value that cannot be sent sends nothing.
      values = this.statements.map((each) => each.values.map((value) => prepareValue(value)));
    } catch (error) {
      return error as Error;
    }
    const stream = connection.stream;
    stream.cork?.();
    try {
      this.statements.forEach((each, index) => {
        if (!each.name || this.parse.has(each)) connection.parse({ text: each.text, name: each.name ?? '' });
        connection.bind({ statement: each.name ?? '', values: values[index]! });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      });
      connection.sync();
    } finally {
      stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: { fields: FieldDef[] }): void {
    this.results[this.at]?.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    const result = this.results[this.at];
    if (!result || this.rowError) return;
    try {
      result.addRow(result.parseRow(message.fields));
    } catch (error) {
      // As node-postgres does: a value its type parser refuses fails the query once it ends.
      this.rowError = error as Error;
    }
  }

  handleCommandComplete(message: unknown): void {
    this.results[this.at]?.addCommandComplete(message);
    this.at++;
  }

  handleEmptyQuery(): void {
    this.at++;
  }

  handleError(error: Error): void {
    this.finish(error);
  }

  handleReadyForQuery(): void {
    this.finish(this.rowError ?? null);
  }

  // No statement of a pipeline reads in portions or copies.
  handlePortalSuspended(): void {
    this.finish(new Error('A pipelined statement was suspended'));
  }

  handleCopyInResponse(): void {
    this.finish(new Error('A pipelined statement asked for COPY'));
  }

  handleCopyData(): void {}

  private finish(error: Error | null): void {
    const done = this.done;
    this.done = undefined;
    done?.(error, error ? undefined : this.results);
  }
}

/**
 * Closes prepared statements (a no-op for a name the server does not have): after a failed
 * pipeline nobody knows which of its Parse messages the server ran before the failure.
 */
export function closeStatements(names: string[]) {
  const ignore = () => undefined;
  return {
    submit(connection: Connection): null {
      connection.stream.cork?.();
      try {
        for (const name of names) connection.close({ type: 'S', name });
        connection.sync();
      } finally {
        connection.stream.uncork?.();
      }
      return null;
    },
    handleReadyForQuery: ignore,
    handleError: ignore,
    handleCommandComplete: ignore,
    handleRowDescription: ignore,
    handleDataRow: ignore,
    handleEmptyQuery: ignore,
  };
}
