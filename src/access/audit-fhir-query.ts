import { ThroughlineError } from '../kernel/errors.ts';
import { parseDateRange } from '../fhir/search-date-range.ts';
import type { AuditQuery } from './audit-report.ts';
import { ACTION_INTERACTIONS, AUTHENTICATION_ACTIONS, CRUD_ACTIONS } from './audit-event.ts';

const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;

/**
 * `GET /fhir/AuditEvent?…` as an audit-log query: the R4 AuditEvent search parameters `date`
 * (with prefixes, repeatable), `patient`, `entity`, `agent`, `type`, `subtype`, `action` and
 * `outcome`, plus `_count`, `_sort` (`-date`, the default, or `date`), `_total` and the paging
 * cursor `_before` that `next` links carry. Unknown parameters are ignored, as R4 allows.
 */
export function auditQueryOfFhir(params: [string, string][]): AuditQuery & { total: boolean } {
  const query: AuditQuery & { total: boolean } = { count: DEFAULT_COUNT, total: false };
  for (const [name, value] of params) {
    if (value === '') continue;
    const apply = appliers[name];
    if (apply) apply(query, value, name);
  }
  return query;
}

type Applier = (query: AuditQuery & { total: boolean }, value: string, name: string) => void;

const appliers: Record<string, Applier> = {
  date: (query, value, name) => applyDate(query, value, name),
  patient: (query, value) => (query.patient = value.replace(/^Patient\//, '')),
  entity: (query, value, name) => {
    const [type, id] = value.split('/');
    if (!type || !id) throw invalid(name, 'must be Type/id');
    if (type === 'Patient') query.patient = id;
    else query.entity = { resourceType: type, id };
  },
  agent: (query, value) => (query.user = value.replace(/^[A-Za-z]+\//, '')),
  type: (query, value, name) =>
    restrictTo(
      query,
      anyOf(value, (code) => actionsOfType(code, name)),
    ),
  subtype: (query, value) => restrictTo(query, anyOf(value, actionsOfSubtype)),
  action: (query, value, name) =>
    restrictTo(
      query,
      anyOf(value, (code) => actionsOfCrud(code, name)),
    ),
  outcome: (query, value, name) => (query.outcomes = value.split(',').map((code) => outcomeOf(code, name))),
  _count: (query, value, name) => (query.count = integer(name, value, { min: 1, max: MAX_COUNT })),
  _before: (query, value, name) =>
    (query.before = String(integer(name, value, { min: 1, max: Number.MAX_SAFE_INTEGER }))),
  _total: (query, value) => (query.total = value === 'accurate' || value === 'estimate'),
  _sort: (query, value, name) => {
    if (value !== 'date' && value !== '-date') throw invalid(name, 'AuditEvents sort by date or -date');
    query.ascending = value === 'date';
  },
};

/** `ge2026-01-01`, `lt2026-02`, `2026-01-05` (that whole day). */
function applyDate(query: AuditQuery, value: string, name: string): void {
  const prefix = /^(eq|ge|gt|le|lt)/.exec(value)?.[1] ?? 'eq';
  const range = parseDateRange(value.replace(/^(eq|ge|gt|le|lt)/, ''));
  if (!range) throw invalid(name, 'must be a FHIR date or instant, optionally prefixed');
  const low = new Date(prefix === 'gt' ? range.high + 1 : range.low).toISOString();
  const high = new Date(prefix === 'lt' ? range.low : range.high + 1).toISOString();
  if (prefix !== 'le' && prefix !== 'lt') query.from = later(query.from, low);
  if (prefix !== 'ge' && prefix !== 'gt') query.to = earlier(query.to, high);
}

const later = (a: string | undefined, b: string) => (a && a > b ? a : b);
const earlier = (a: string | undefined, b: string) => (a && a < b ? a : b);

/** Repeated restrictions AND: the actions allowed are those every one allows. */
function restrictTo(query: AuditQuery, allowed: { actions?: string[]; except?: string[] }): void {
  if (allowed.actions)
    query.actions = query.actions
      ? query.actions.filter((a) => allowed.actions!.includes(a))
      : allowed.actions;
  if (allowed.except) query.excludedActions = [...(query.excludedActions ?? []), ...allowed.except];
}

function codeOf(token: string): string {
  return token.includes('|') ? token.slice(token.indexOf('|') + 1) : token;
}

type Allowed = { actions?: string[]; except?: string[] };

/**
 * Comma-separated values OR: the actions any of them allows. (An `except` — every action but
 * some — ORed with anything is "every action but those both leave out".)
 */
function anyOf(value: string, allowedBy: (code: string) => Allowed): Allowed {
  const each = value.split(',').map((token) => allowedBy(codeOf(token)));
  const excepts = each.filter((allowed) => allowed.except);
  const listed = [...new Set(each.flatMap((allowed) => allowed.actions ?? []))];
  if (excepts.length === 0) return { actions: listed };
  const except = excepts
    .map((allowed) => allowed.except!)
    .reduce((left, right) => left.filter((action) => right.includes(action)))
    .filter((action) => !listed.includes(action));
  return { except };
}

function actionsOfType(code: string, name: string): { actions?: string[]; except?: string[] } {
  if (code === '110114') return { actions: [...AUTHENTICATION_ACTIONS] };
  if (code === 'rest') return { except: [...AUTHENTICATION_ACTIONS] };
  throw invalid(name, 'is rest or 110114 (user authentication)');
}

function actionsOfSubtype(code: string): { actions: string[] } {
  const ours = Object.entries(ACTION_INTERACTIONS)
    .filter(([action, interaction]) => interaction === code || action === code)
    .map(([action]) => action);
  return { actions: [...new Set([...ours, code])] };
}

function actionsOfCrud(code: string, name: string): { actions?: string[]; except?: string[] } {
  const crud = Object.entries(CRUD_ACTIONS);
  if (code === 'E') return { except: crud.map(([action]) => action) };
  const actions = crud.filter(([, letter]) => letter === code).map(([action]) => action);
  if (actions.length === 0) throw invalid(name, 'is one of C, R, U, D, E');
  return { actions };
}

function outcomeOf(code: string, name: string): string {
  const ours: Record<string, string> = { '0': 'success', '4': 'denied', '8': 'failure', '12': 'failure' };
  const outcome = ours[code];
  if (!outcome) throw invalid(name, 'is one of 0, 4, 8, 12');
  return outcome;
}

function integer(name: string, value: string, { min, max }: { min: number; max: number }): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max)
    throw invalid(name, `must be an integer from ${min} to ${max}`);
  return number;
}

function invalid(name: string, what: string): ThroughlineError {
  return new ThroughlineError('INVALID_SEARCH', `${name} ${what}`, { expression: name });
}
