import type { Clock } from '../kernel/clock.ts';
import type { SqlDatabase, SqlExecutor } from './sql/database.ts';
import type { SearchScope } from './search/contract.ts';

/** What every store use case needs: the database (or the open transaction), the clock, the base URL. */
export interface StoreContext {
  db: SqlDatabase;
  clock: Clock;
  /** Public FHIR base, e.g. http://localhost:8080/fhir. */
  baseUrl: string;
}

export interface TxContext extends Omit<StoreContext, 'db'> {
  tx: SqlExecutor;
  /** Whose conditional criteria these are: they run as that caller (set by the access checkpoint). */
  scope?: SearchScope;
}
