import type { PipelinedStatement } from './pipelined-queries.ts';

/**
 * Every server PostgreSQL connection's settings: a prepared statement is still planned for each
 * run's values, as an unnamed statement's is (`QueryOptions.prepare`). A generic plan made while
 * a table is young keeps its seq scans as the table grows (measured: 4× the database's CPU).
 */
export const SESSION_PLAN_MODE = 'force_custom_plan';
export const SESSION_SETTINGS = `SET plan_cache_mode = ${SESSION_PLAN_MODE}`;

/**
 * Transaction-local planner settings around a statement run with `QueryOptions.planOnce`. The
 * join and scan kinds off leave the planner index probes, nested loops and function scans only,
 * which is the plan such a statement needs at every table size; so its one generic plan is right
 * even when made on an empty table. A NULL value resets a setting to the server's.
 */
const SET_PLANNING = `SELECT set_config('plan_cache_mode', $1, true), set_config('enable_seqscan', $2, true),
  set_config('enable_hashjoin', $2, true), set_config('enable_mergejoin', $2, true)`;

/** Sent just before a `planOnce` statement, in the same round trip. */
export const PLAN_ONCE: Omit<PipelinedStatement, 'name'> = {
  text: SET_PLANNING,
  values: ['force_generic_plan', 'off'],
};

/** Sent just after it: the session's planning again for the rest of the transaction. */
export const PLAN_EACH_RUN: Omit<PipelinedStatement, 'name'> = {
  text: SET_PLANNING,
  values: [SESSION_PLAN_MODE, null],
};
