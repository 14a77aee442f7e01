import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../kernel/clock.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import { runAsBackground, type FhirRepository } from '../../store/index.ts';
import type { TypePlan } from './export-plan.ts';
import type { ExportRequest } from './export-request.ts';
import { runExport, type ExportFile } from './run-export.ts';
import { statusOf, type ExportJob, type JobStatus } from './export-status.ts';

export type { JobStatus };

export interface ExportJobsOptions {
  /** Export files go to `<dataDir>/exports/<job>/`. */
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** The FHIR base URL the manifest's file URLs start with. */
  fhirBase: string;
  /** How long the files of a finished export stay downloadable (default one hour). */
  expireAfterMs?: number;
}

export interface ExportJobs {
  start(input: {
    owner: string;
    request: ExportRequest;
    plans: TypePlan[];
    repository: FhirRepository;
  }): string;
  status(id: string, owner: string): JobStatus;
  cancel(id: string, owner: string): Promise<void>;
  /** The path of a finished export's file, for its owner. */
  file(id: string, owner: string, name: string): string;
  stop(): Promise<void>;
}

/**
 * Bulk exports of this process (IG v2 §5): each runs in the background, writing ndjson under
 * the data directory; finished files expire. Jobs live in memory: a restart forgets them (their
 * folder is cleared at start), and a client kicks off again.
 */
export function startExportJobs(options: ExportJobsOptions): ExportJobs {
  const root = join(options.dataDir, 'exports');
  rmSync(root, { recursive: true, force: true });
  const registry = jobRegistry(options.clock);
  const expireAfterMs = options.expireAfterMs ?? 3_600_000;
  const sweep = setInterval(() => registry.sweep(), 60_000);
  sweep.unref();
  return {
    start(input) {
      const job = newJob({ ...input, root, clock: options.clock });
      registry.jobs.set(job.id, job);
      job.done = runJob(job, { ...input, expireAfterMs, options });
      return job.id;
    },
    status: (id, owner) => statusOf(registry.own(id, owner), (name) => fileUrl(options.fhirBase, id, name)),
    cancel: (id, owner) => registry.forget(registry.own(id, owner)),
    file(id, owner, name) {
      const job = registry.own(id, owner);
      const known = [...(job.output ?? []), ...(job.error ?? [])].some((file) => file.name === name);
      if (!known) throw new ThroughlineError('NOT_FOUND', `Export file ${name} not found`);
      return join(job.dir, name);
    },
    async stop() {
      clearInterval(sweep);
      await Promise.all([...registry.jobs.values()].map((job) => registry.forget(job)));
    },
  };
}

/** The jobs by id; an expired one, or another client's, reads as not found. */
function jobRegistry(clock: Clock) {
  const jobs = new Map<string, ExportJob>();
  const expired = (job: ExportJob) => job.expiresAt !== undefined && job.expiresAt <= clock.now().getTime();
  const forget = async (job: ExportJob) => {
    jobs.delete(job.id);
    job.abort.abort();
    await job.done;
    await rm(job.dir, { recursive: true, force: true });
  };
  return {
    jobs,
    forget,
    own(id: string, owner: string): ExportJob {
      const job = jobs.get(id);
      if (!job || job.owner !== owner || expired(job))
        throw new ThroughlineError('NOT_FOUND', `Export ${id} not found`);
      return job;
    },
    sweep: () => {
      for (const job of jobs.values()) if (expired(job)) void forget(job);
    },
  };
}

const fileUrl = (fhirBase: string, id: string, name: string) => `${fhirBase}/bulk-files/${id}/${name}`;

function newJob(input: { owner: string; request: ExportRequest; root: string; clock: Clock }): ExportJob {
  const id = randomUUID();
  const dir = join(input.root, id);
  mkdirSync(dir, { recursive: true });
  return {
    id,
    owner: input.owner,
    dir,
    request: input.request,
    transactionTime: input.clock.now().toISOString(),
    state: 'in-progress',
    progress: { resources: 0, typesDone: 0, types: 0 },
    abort: new AbortController(),
    done: Promise.resolve(),
  };
}

async function runJob(
  job: ExportJob,
  input: { plans: TypePlan[]; repository: FhirRepository; expireAfterMs: number; options: ExportJobsOptions },
): Promise<void> {
  const { plans, repository, options } = input;
  job.progress.types = plans.length;
  try {
    const onProgress = (progress: { resources: number; typesDone: number }) =>
      Object.assign(job.progress, progress);
    const files: { output: ExportFile[]; error: ExportFile[] } = await runAsBackground(() =>
      runExport({ repository, dir: job.dir, signal: job.abort.signal, onProgress }, plans),
    );
    Object.assign(job, files, { state: 'completed' });
  } catch (error) {
    if (job.abort.signal.aborted) return;
    options.logger.warn({ err: error, job: job.id }, 'bulk export failed');
    Object.assign(job, { state: 'failed', failure: error instanceof Error ? error.message : String(error) });
  }
  job.expiresAt = options.clock.now().getTime() + input.expireAfterMs;
}
