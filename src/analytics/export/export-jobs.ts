import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../kernel/clock.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import {
  deleteLeasedJob,
  endLeasedJob,
  readJobByKey,
  startLeasedJob,
  takeOverLeasedJobs,
  type FhirRepository,
  type LeasedJob,
  type SqlDatabase,
} from '../../store/index.ts';
import type { TypePlan } from './export-plan.ts';
import type { ExportRequest } from './export-request.ts';
import {
  filesOf,
  statusOf,
  type ExportCaller,
  type ExportJobState,
  type JobStatus,
} from './export-status.ts';
import { runExportJob, type Runner, type RunnerContext } from './run-export-job.ts';

export type { JobStatus };

export interface ExportJobsOptions {
  db: SqlDatabase;
  /** Export files go to `<dataDir>/exports/<job>/`. */
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** The FHIR base URL the manifest's file URLs start with. */
  fhirBase: string;
  /** The caller's scoped store made again, to finish an export another process started. */
  scopeFor(caller: ExportCaller): Promise<FhirRepository>;
  /** How long the files of a finished export stay downloadable (default one hour). */
  expireAfterMs?: number;
  /** A running export's lease: unrenewed this long, another process finishes it (default 30 s). */
  leaseSeconds?: number;
  /** Processes that may start one export before it is reported failed (default 3). */
  maxAttempts?: number;
}

/** What an export is started with: who asks, what, the searches per type, a Group's members. */
export interface StartExport {
  caller: ExportCaller;
  request: ExportRequest;
  plans: TypePlan[];
  members?: string[];
}

export interface ExportJobs {
  start(input: StartExport & { repository: FhirRepository }): Promise<string>;
  status(id: string, owner: string): Promise<JobStatus>;
  cancel(id: string, owner: string): Promise<void>;
  /** The path of a finished export's file, for its owner. */
  file(id: string, owner: string, name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The job queue's name for exports; a job's key is its export id. */
const queue = 'bulk-export';

/**
 * Bulk exports (IG v2 §5), kept as leased jobs in the durable queue: the process that kicks one
 * off runs it in the background; its status URL answers from the job row in any process; a
 * process that dies mid-export leaves a lease that runs out, and the next process to look —
 * a poll of its status URL, or the sweep each minute and at start — finishes it, keeping the
 * files of the types already finished. Finished files expire.
 */
export function startExportJobs(options: ExportJobsOptions): ExportJobs {
  const jobs: Jobs = {
    db: options.db,
    clock: options.clock,
    logger: options.logger,
    root: join(options.dataDir, 'exports'),
    leaseSeconds: options.leaseSeconds ?? 30,
    expireAfterMs: options.expireAfterMs ?? 3_600_000,
    running: new Map(),
    options,
  };
  const sweep = () =>
    void sweepJobs(jobs).catch((error: unknown) => options.logger.warn({ err: error }, 'export sweep'));
  const sweeping = setInterval(sweep, 60_000);
  sweeping.unref();
  sweep();
  return {
    start: (input) => startJob(jobs, input),
    status: (id, owner) => statusOfJob(jobs, id, owner),
    cancel: (id, owner) => cancelJob(jobs, id, owner),
    file: (id, owner, name) => fileOfJob(jobs, { id, owner, name }),
    async stop() {
      clearInterval(sweeping);
      await Promise.all([...jobs.running.values()].map((runner) => runner.stop('stopping')));
      jobs.running.clear();
    },
  };
}

/** The exports' shared parts: the runner's context, the runners of this process, the options. */
interface Jobs extends RunnerContext {
  running: Map<string, Runner>;
  options: ExportJobsOptions;
}

type StoredJob = LeasedJob<ExportJobState>;

async function startJob(jobs: Jobs, input: StartExport & { repository: FhirRepository }): Promise<string> {
  const state = newState(input, jobs.clock);
  const payload = { queue, key: state.id, payload: state, leaseSeconds: jobs.leaseSeconds };
  const rowId = await startLeasedJob(jobs.db, payload);
  run(jobs, { rowId, state, repository: input.repository });
  return state.id;
}

async function statusOfJob(jobs: Jobs, id: string, owner: string): Promise<JobStatus> {
  const job = await own(jobs, id, owner);
  // This process's own runner knows the progress since its last renewal.
  const here = jobs.running.get(id);
  const fresh = job.status === 'running' && here ? { ...job, payload: here.state } : job;
  return statusOf(fresh, (name) => fileUrl(jobs.options.fhirBase, id, name));
}

async function cancelJob(jobs: Jobs, id: string, owner: string): Promise<void> {
  const job = await own(jobs, id, owner);
  await deleteLeasedJob(jobs.db, job.id);
  await jobs.running.get(id)?.stop('cancelled');
  jobs.running.delete(id);
  await rm(join(jobs.root, id), { recursive: true, force: true });
}

async function fileOfJob(
  jobs: Jobs,
  { id, owner, name }: { id: string; owner: string; name: string },
): Promise<string> {
  const job = await own(jobs, id, owner);
  const known = job.status === 'done' && filesOf(job.payload).some((file) => file.name === name);
  if (!known) throw new ThroughlineError('NOT_FOUND', `Export file ${name} not found`);
  return join(jobs.root, id, name);
}

/** Its owner's job; an expired one is removed and, like another client's, reads as not found. */
async function own(jobs: Jobs, id: string, owner: string): Promise<StoredJob> {
  const job = await readJobByKey<ExportJobState>(jobs.db, { queue, key: id });
  if (!job || job.payload.caller.principal.id !== owner) throw notFound(id);
  if (expired(jobs, job)) {
    await remove(jobs, job);
    throw notFound(id);
  }
  if (job.leaseExpired) await takeOver(jobs, id);
  return job;
}

function run(jobs: Jobs, job: { rowId: string; state: ExportJobState; repository: FhirRepository }): void {
  const runner = runExportJob(jobs, job);
  const { id } = job.state;
  jobs.running.set(id, runner);
  void runner.done.then(() => jobs.running.get(id) === runner && jobs.running.delete(id));
}

/** Finishes the jobs whose process died (this key's, or all), or fails those tried too often. */
async function takeOver(jobs: Jobs, key?: string): Promise<void> {
  const claim = { queue, leaseSeconds: jobs.leaseSeconds, key };
  for (const job of await takeOverLeasedJobs<ExportJobState>(jobs.db, claim)) {
    // Its lease ran out while it still runs here (a stalled event loop): it goes on as it is.
    if (jobs.running.has(job.payload.id)) continue;
    if (job.attempts > (jobs.options.maxAttempts ?? 3)) await failInterrupted(jobs, job);
    else {
      const repository = await jobs.options.scopeFor(job.payload.caller);
      run(jobs, { rowId: job.id, state: job.payload, repository });
    }
  }
}

const expired = (jobs: Jobs, job: StoredJob) =>
  job.status !== 'running' && (job.payload.expiresAt ?? 0) <= jobs.clock.now().getTime();

async function remove(jobs: Jobs, job: StoredJob): Promise<void> {
  await deleteLeasedJob(jobs.db, job.id);
  await rm(join(jobs.root, job.payload.id), { recursive: true, force: true });
}

/** Takes over orphaned exports; removes the folders of exports whose job is gone or expired. */
async function sweepJobs(jobs: Jobs): Promise<void> {
  await takeOver(jobs);
  const folders = await readdir(jobs.root).catch(() => [] as string[]);
  for (const id of folders) {
    const job = await readJobByKey<ExportJobState>(jobs.db, { queue, key: id });
    if (!job) await rm(join(jobs.root, id), { recursive: true, force: true });
    else if (expired(jobs, job)) await remove(jobs, job);
  }
}

async function failInterrupted(context: RunnerContext, job: StoredJob): Promise<void> {
  const failure = `the export was interrupted ${job.attempts - 1} times (its process stopped); kick it off again`;
  const expiresAt = context.clock.now().getTime() + context.expireAfterMs;
  await endLeasedJob(context.db, { id: job.id, payload: { ...job.payload, expiresAt }, failure });
}

const notFound = (id: string) => new ThroughlineError('NOT_FOUND', `Export ${id} not found`);

const fileUrl = (fhirBase: string, id: string, name: string) => `${fhirBase}/bulk-files/${id}/${name}`;

function newState(input: StartExport, clock: Clock): ExportJobState {
  const { request, plans, members } = input;
  return {
    id: randomUUID(),
    caller: input.caller,
    request: {
      level: request.level,
      requestUrl: request.requestUrl,
      ...(request.since ? { since: request.since } : {}),
      ...(members ? { members } : {}),
    },
    transactionTime: clock.now().toISOString(),
    plans,
    finished: {},
    progress: { resources: 0, typesDone: 0, types: plans.length },
  };
}
