import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../kernel/logger.ts';
import {
  endLeasedJob,
  renewJobLease,
  runAsBackground,
  type FhirRepository,
  type SqlDatabase,
} from '../../store/index.ts';
import type { ExportJobState } from './export-status.ts';
import { runExport } from './run-export.ts';
import { writeDeleted } from './write-deleted.ts';

export interface RunnerContext {
  db: SqlDatabase;
  clock: Clock;
  logger: Logger;
  /** `<dataDir>/exports`: each export's files in a folder named by its id. */
  root: string;
  leaseSeconds: number;
  expireAfterMs: number;
}

/** An export running in this process. */
export interface Runner {
  state: ExportJobState;
  /** Settles when it has ended (finished, failed or stopped). */
  done: Promise<void>;
  /** Stops it: `cancelled` removes its files; otherwise its lease is let go for the next process. */
  stop(reason: 'cancelled' | 'stopping'): Promise<void>;
}

/**
 * Runs (or finishes) one export here, holding its leased job: the lease is renewed — with the
 * progress — a few times per lease, and each finished type is recorded before the next starts,
 * so a process that dies leaves a job that another takes over, writing only the types not yet
 * finished. A renewal that finds the job gone (cancelled by any process) stops it.
 */
export function runExportJob(
  context: RunnerContext,
  job: { rowId: string; state: ExportJobState; repository: FhirRepository },
): Runner {
  const { db, leaseSeconds } = context;
  const { rowId, state } = job;
  const abort = new AbortController();
  const renew = async (lease = leaseSeconds) => {
    const alive = await renewJobLease(db, { id: rowId, leaseSeconds: lease, payload: state });
    if (!alive) abort.abort('cancelled');
  };
  const heartbeat = setInterval(
    () => void renew().catch((error: unknown) => context.logger.warn({ err: error }, 'export lease')),
    (leaseSeconds * 1000) / 3,
  );
  const done = exportToEnd(context, { ...job, abort, renew }).finally(() => clearInterval(heartbeat));
  return {
    state,
    done,
    async stop(reason) {
      abort.abort(reason);
      await done;
      // Let the next process take it over at once rather than when the lease runs out.
      if (reason === 'stopping') await renewJobLease(db, { id: rowId, leaseSeconds: 0 }).catch(() => false);
    },
  };
}

async function exportToEnd(
  context: RunnerContext,
  job: {
    rowId: string;
    state: ExportJobState;
    repository: FhirRepository;
    abort: AbortController;
    renew: () => Promise<void>;
  },
): Promise<void> {
  const { rowId, state, abort } = job;
  const dir = join(context.root, state.id);
  try {
    await mkdir(dir, { recursive: true });
    await runAsBackground(() => exportFiles({ ...job, dir }));
    const expiresAt = context.clock.now().getTime() + context.expireAfterMs;
    await endLeasedJob(context.db, { id: rowId, payload: { ...state, expiresAt } });
  } catch (error) {
    if (abort.signal.aborted) {
      if (abort.signal.reason === 'cancelled') await rm(dir, { recursive: true, force: true });
      return;
    }
    context.logger.warn({ err: error, job: state.id }, 'bulk export failed');
    const expiresAt = context.clock.now().getTime() + context.expireAfterMs;
    const failure = error instanceof Error ? error.message : String(error);
    await endLeasedJob(context.db, { id: rowId, payload: { ...state, expiresAt }, failure }).catch(
      (problem: unknown) => context.logger.warn({ err: problem }, 'recording a failed export'),
    );
  }
}

/** The types' files, then — with `_since` — the deletions; the manifest's lists kept in the state. */
async function exportFiles(job: {
  state: ExportJobState;
  repository: FhirRepository;
  abort: AbortController;
  renew: () => Promise<void>;
  dir: string;
}): Promise<void> {
  const { state, repository, dir } = job;
  const signal = job.abort.signal;
  const run = {
    repository,
    dir,
    signal,
    onProgress: (progress: { resources: number; typesDone: number }) =>
      Object.assign(state.progress, progress),
    onTypeDone: async (index: number, finished: ExportJobState['finished'][string]) => {
      state.finished[index] = finished;
      await job.renew();
    },
  };
  const files = await runExport(run, { plans: state.plans, finished: state.finished });
  const { since, members, level } = state.request;
  const types = [...new Set(state.plans.map((plan) => plan.resourceType))];
  const window = { types, since, until: state.transactionTime, ...(members ? { patients: members } : {}) };
  // A Group export kicked off before its members were kept (taken over after an upgrade) lists
  // no deletions rather than every patient's.
  const deleted =
    window.since !== undefined && (level !== 'group' || members)
      ? await writeDeleted({ repository, dir, signal }, { ...window, since: window.since })
      : [];
  Object.assign(state, files, { deleted });
}
