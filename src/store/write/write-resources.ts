import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/clock.ts';
import { patientCompartmentOf } from '../../fhir/compartment.ts';
import type { SqlExecutor } from '../sql/database.ts';
import { indexParts, removeIndexes } from '../search/index-resources.ts';
import { runParts, type StatementParts } from '../sql/statement-parts.ts';
import type { CommittedWrite, PendingWrite } from './pending-write.ts';
import { rowParts, type RowsToWrite } from './insert-rows.ts';
import { claimLockKeys, refusingTakenClaims } from './exclusive-claims.ts';

interface CurrentRow {
  resource_type: string;
  id: string;
  version_id: string;
  deleted: boolean;
  content: string;
}

export interface WriteOptions {
  /**
   * Called for each write whose content differs from the stored version, before anything is
   * written; throws to refuse it. Content equal to a stored (hence once validated) version is
   * not checked again: a feed that resends unchanged records (ADT A08s) pays nothing for them.
   */
  validateChanged?: (write: PendingWrite) => void;
  /**
   * More CTEs for the write statement, computed from the planned results (the caller's own
   * rows that commit with the resources, in the same round trip).
   */
  moreParts?: (results: CommittedWrite[]) => ((parts: StatementParts) => void) | undefined;
}

/** Where writes go: the caller's open transaction, and the clock that stamps `meta.lastUpdated`. */
export interface WriteTarget {
  tx: SqlExecutor;
  clock: Clock;
}

/** What the writes of one call share while they are planned. */
interface WritePlan {
  /** The current row of each target, kept up to date as writes are planned (a batch may write one twice). */
  current: Map<string, CurrentRow>;
  lastUpdated: string;
  /** The rows to insert, gathered for one statement. */
  rows: RowsToWrite;
  options: WriteOptions;
}

const keyOf = (resourceType: string, id: string): string => `${resourceType}/${id}`;

/**
 * The one write path (DESIGN rule 2): for a list of pending writes, inside the caller's
 * transaction, it locks each target, checks `If-Match`, skips content that did not change, and
 * writes current rows, history rows, search indexes and change events in a few set-based
 * statements — so a 300-resource bundle costs a handful of round trips, not 1,200.
 */
export async function writeResources(
  target: WriteTarget,
  writes: PendingWrite[],
  options: WriteOptions = {},
): Promise<CommittedWrite[]> {
  const { tx, clock } = target;
  const current = await lockCurrentRows(tx, writes);
  const plan: WritePlan = {
    current,
    lastUpdated: clock.now().toISOString(),
    rows: { current: [], history: [], events: [] },
    options,
  };
  const results = writes.map((write) => planWrite(write, plan));
  const more = options.moreParts?.(results);
  // Rows, history, change events and search indexes: one statement, one round trip.
  await refusingTakenClaims(() =>
    runParts(tx, (parts) => {
      rowParts(plan.rows, parts);
      indexParts(latestLiveResources(results), parts);
      more?.(parts);
    }),
  );
  await removeDeletedIndexes(tx, results);
  return results;
}

async function lockCurrentRows(tx: SqlExecutor, writes: PendingWrite[]): Promise<Map<string, CurrentRow>> {
  const claims = claimLockKeys(writes.map((write) => write.resource));
  const keys = [
    ...new Set([...writes.map((write) => keyOf(write.resourceType, write.id)), ...claims]),
  ].sort();
  // Advisory locks serialize writers of the same resource even before its first row exists,
  // and writers claiming the same exclusive identifiers (`claimLockKeys`). Sorted keys keep lock
  // order identical across transactions, so they cannot deadlock. The read is issued with the
  // locks (one round trip) and still runs after them, with a snapshot taken once they are held.
  const [, found] = await Promise.all([
    tx.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [keys], {
      prepare: true,
    }),
    tx.query<CurrentRow>(
      `SELECT r.resource_type, r.id, r.version_id, r.deleted, r.content FROM resource r
     JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON r.resource_type = k.t AND r.id = k.i`,
      [writes.map((write) => write.resourceType), writes.map((write) => write.id)],
      { prepare: true },
    ),
  ]);
  return new Map(found.rows.map((row) => [keyOf(row.resource_type, row.id), row]));
}

function planWrite(write: PendingWrite, plan: WritePlan): CommittedWrite {
  const key = keyOf(write.resourceType, write.id);
  const existing = plan.current.get(key);
  checkExpectedVersion(write, existing);
  if (write.method === 'delete') return planDelete(write, existing, plan);
  if (write.method === 'create' && existing) {
    throw new ThroughlineError('CONFLICT', `${key} already exists`);
  }
  if (existing && !existing.deleted && sameContent(existing.content, write.resource as Resource)) {
    return unchangedResult(write, existing);
  }
  plan.options.validateChanged?.(write);
  return planNewVersion(write, existing, plan);
}

/** The stored version stands: nothing is written and the result is the stored resource. */
function unchangedResult(write: PendingWrite, existing: CurrentRow): CommittedWrite {
  const stored = JSON.parse(existing.content) as Resource;
  return {
    ...identity(write),
    versionId: existing.version_id,
    lastUpdated: stored.meta?.lastUpdated ?? '',
    resource: stored,
    outcome: 'unchanged',
  };
}

/** A create or update: the next version, stored with its `meta.versionId` and `meta.lastUpdated`. */
function planNewVersion(
  write: PendingWrite,
  existing: CurrentRow | undefined,
  plan: WritePlan,
): CommittedWrite {
  const { lastUpdated } = plan;
  const resource = write.resource as Resource;
  const versionId = String(existing ? Number(existing.version_id) + 1 : 1);
  const stored = {
    ...resource,
    id: write.id,
    meta: { ...resource.meta, versionId, lastUpdated },
  } as Resource;
  const replacesLive = existing !== undefined && !existing.deleted;
  pushVersionRows(write, plan, { existing, versionId, stored });
  return {
    ...identity(write),
    versionId,
    lastUpdated,
    resource: stored,
    outcome: replacesLive ? 'updated' : 'created',
  };
}

/** One new version of a resource, as planned. */
interface NewVersion {
  existing: CurrentRow | undefined;
  versionId: string;
  stored: Resource;
}

/** The new version's current, history and change-event rows; it becomes the current row for later writes. */
function pushVersionRows(write: PendingWrite, plan: WritePlan, version: NewVersion): void {
  const { lastUpdated, rows } = plan;
  const { existing, versionId } = version;
  const content = JSON.stringify(version.stored);
  const compartment = patientCompartmentOf(version.stored) ?? null;
  rows.current.push({ ...identity(write), versionId, lastUpdated, deleted: false, compartment, content });
  rows.history.push({
    ...identity(write),
    versionId,
    lastUpdated,
    method: existing ? 'update' : 'create',
    compartment,
    content,
  });
  rows.events.push({
    ...identity(write),
    versionId,
    action: existing && !existing.deleted ? 'update' : 'create',
    compartment,
    occurredAt: lastUpdated,
  });
  plan.current.set(keyOf(write.resourceType, write.id), {
    resource_type: write.resourceType,
    id: write.id,
    version_id: versionId,
    deleted: false,
    content,
  });
}

function planDelete(write: PendingWrite, existing: CurrentRow | undefined, plan: WritePlan): CommittedWrite {
  const { lastUpdated, rows, current } = plan;
  if (!existing || existing.deleted) {
    return { ...identity(write), versionId: existing?.version_id ?? '0', lastUpdated, outcome: 'not-found' };
  }
  const versionId = String(Number(existing.version_id) + 1);
  const compartment = patientCompartmentOf(JSON.parse(existing.content) as Resource) ?? null;
  rows.current.push({
    ...identity(write),
    versionId,
    lastUpdated,
    deleted: true,
    compartment,
    content: existing.content,
  });
  rows.history.push({
    ...identity(write),
    versionId,
    lastUpdated,
    method: 'delete',
    compartment,
    content: null,
  });
  rows.events.push({ ...identity(write), versionId, action: 'delete', compartment, occurredAt: lastUpdated });
  current.set(keyOf(write.resourceType, write.id), { ...existing, version_id: versionId, deleted: true });
  return { ...identity(write), versionId, lastUpdated, outcome: 'deleted' };
}

function checkExpectedVersion(write: PendingWrite, existing: CurrentRow | undefined): void {
  if (write.expectedVersion === undefined) return;
  const actual = existing && !existing.deleted ? existing.version_id : undefined;
  if (actual !== write.expectedVersion) {
    throw new ThroughlineError(
      'VERSION_CONFLICT',
      `${keyOf(write.resourceType, write.id)}: If-Match expects version ${write.expectedVersion}, current is ${actual ?? 'none'}`,
    );
  }
}

function identity(write: PendingWrite): { resourceType: string; id: string } {
  return { resourceType: write.resourceType, id: write.id };
}

/**
 * Content equality ignoring `meta.versionId` and `meta.lastUpdated`, which the store sets, and
 * the order of object keys (which means nothing in FHIR JSON). Compared as values, stopping at
 * the first difference: most updates change something, and serializing both versions to
 * compare them cost two `JSON.stringify` calls per update.
 */
function sameContent(storedJson: string, incoming: Resource): boolean {
  const stored = JSON.parse(storedJson) as Resource;
  return sameJson(withoutVersionMeta(stored), withoutVersionMeta({ ...incoming, id: stored.id } as Resource));
}

/** Equal as JSON: keys holding `undefined` are absent (`JSON.stringify` drops them). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, at) => sameJson(item ?? null, other[at] ?? null));
  }
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(x).filter((key) => x[key] !== undefined);
  if (keys.length !== Object.keys(y).filter((key) => y[key] !== undefined).length) return false;
  return keys.every((key) => Object.hasOwn(y, key) && sameJson(x[key], y[key]));
}

function withoutVersionMeta(resource: Resource): Resource {
  const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta ?? {};
  const copy = { ...resource, meta } as Resource & { meta?: object };
  if (Object.keys(meta).length === 0) delete copy.meta;
  return copy;
}

/** The final live version of each resource written (a batch may touch one resource twice). */
function latestLiveResources(results: CommittedWrite[]): Resource[] {
  const latest = new Map<string, CommittedWrite>();
  for (const result of results) {
    if (result.outcome !== 'unchanged' && result.outcome !== 'not-found')
      latest.set(keyOf(result.resourceType, result.id), result);
  }
  return [...latest.values()]
    .filter((result) => result.outcome !== 'deleted')
    .map((result) => result.resource as Resource);
}

async function removeDeletedIndexes(tx: SqlExecutor, results: CommittedWrite[]): Promise<void> {
  const byType = new Map<string, string[]>();
  for (const result of results.filter((r) => r.outcome === 'deleted')) {
    byType.set(result.resourceType, [...(byType.get(result.resourceType) ?? []), result.id]);
  }
  for (const [resourceType, ids] of byType) await removeIndexes(tx, resourceType, ids);
}
