import type { SqlDatabase, SqlExecutor } from '../store/index.ts';
import { groupCommitAppender, insertAuditRowsSql, type AuditAppender } from './audit-group-commit.ts';
import type { Principal, RequestContext } from './principal.ts';

export interface AuditEntry {
  action: string;
  resourceType?: string;
  resourceId?: string;
  /** Every patient whose data the action touched or returned. */
  patients: string[];
  outcome: 'success' | 'failure' | 'denied';
  detail?: string;
}

/** Who acted (none before they are authenticated: `anonymous`), in which request. */
export interface AuditedCaller {
  principal?: Principal;
  context: RequestContext;
}

/** A transaction's audit row: one statement text, kept prepared on server PostgreSQL. */
const ONE_ROW = insertAuditRowsSql(1);

const appenders = new WeakMap<SqlExecutor, AuditAppender>();

/**
 * Where appends to `db` go. Server PostgreSQL's pool: the group-commit appender (one per pool),
 * since there each commit waits for the disk while holding the chain. A transaction: straight
 * into it, so the row commits or rolls back with the caller's work. PGlite: straight too — one
 * connection, no waiting on a flush to share, and its interactive-first gate must see each
 * query as its own caller's.
 */
function appenderOf(db: SqlExecutor): AuditAppender {
  if ((db as Partial<SqlDatabase>).dialect !== 'postgres')
    // In a transaction on server PostgreSQL the row travels with the COMMIT (`withCommit`).
    return async (values) => void (await db.query(ONE_ROW, values, { prepare: true, withCommit: true }));
  let appender = appenders.get(db);
  if (!appender) appenders.set(db, (appender = groupCommitAppender(db)));
  return appender;
}

/**
 * Appends one audit record. Callers await it before returning data: if it fails, the request
 * fails (audit fails closed, house rule 7). The database links it into the hash chain (id,
 * prev_hash, hash; migration 007) in the same statement, so chaining costs no round trip;
 * concurrent appends to server PostgreSQL share one statement and one commit
 * (`audit-group-commit.ts`), and each resolves only once its row is committed.
 * Inside a transaction the chain stays locked until it ends: audit late, commit soon.
 */
export async function recordAudit(db: SqlExecutor, caller: AuditedCaller, entry: AuditEntry): Promise<void> {
  const { principal, context } = caller;
  await appenderOf(db)([
    context.requestId,
    principal?.id ?? 'anonymous',
    principal?.kind ?? 'anonymous',
    entry.action,
    entry.resourceType ?? null,
    entry.resourceId ?? null,
    [...new Set(entry.patients)],
    entry.outcome,
    detailOf(principal, entry.detail) ?? null,
    context.remoteAddress ?? null,
  ]);
}

/**
 * A caregiver's calls for a dependant say so on every row: the row's principal is her own
 * account (the agent), the detail starts `proxy for Patient/{dependant} (RelatedPerson/{grant})`
 * — "on behalf of" — whatever else it says. Recorded here, once, so no path can leave it out.
 */
export function detailOf(principal: Principal | undefined, detail: string | undefined): string | undefined {
  if (!principal?.proxyGrant) return detail;
  const onBehalfOf = `${PROXY_DETAIL} Patient/${principal.patient ?? ''} (${principal.proxyGrant})`;
  return detail ? `${onBehalfOf} ${detail}` : onBehalfOf;
}

/** How an audit row's detail begins when a proxy acted. */
export const PROXY_DETAIL = 'proxy for';
