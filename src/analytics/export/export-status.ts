import type { Principal } from '../../access/index.ts';
import type { LeasedJob } from '../../store/index.ts';
import type { TypePlan } from './export-plan.ts';
import type { ExportLevel } from './export-request.ts';
import type { ExportFile } from './run-export.ts';

/** Whom an export runs for: its scoped store is made again from this after a restart. */
export interface ExportCaller {
  principal: Principal;
  /** The kick-off's request id: every page read is audited under it. */
  requestId: string;
}

/** What a type's export ended with: its file (none when empty), or the refusal `_type` asked for. */
export interface FinishedType {
  file?: ExportFile;
  refusal?: string;
}

/**
 * An export's durable state, the payload of its leased job (`src/store/jobs/leased-jobs.ts`):
 * enough for any process to answer its status URL and to finish it, skipping the types whose
 * files were complete.
 */
export interface ExportJobState {
  /** The export id, in its status URL (the job's key). */
  id: string;
  caller: ExportCaller;
  /** `members`: a Group export's member Patients (its deletions are theirs). */
  request: { level: ExportLevel; requestUrl: string; since?: string; members?: string[] };
  transactionTime: string;
  plans: TypePlan[];
  /** By the plan's index: the types finished, whose files stay as written. */
  finished: Record<string, FinishedType>;
  progress: { resources: number; typesDone: number; types: number };
  output?: ExportFile[];
  error?: ExportFile[];
  deleted?: ExportFile[];
  /** Epoch ms after which the job and its files are gone (set when it ends). */
  expiresAt?: number;
}

/** IG v2 §5.3.4: the complete-status body. */
export interface ExportManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  /** Bundles of DELETE entries for what was deleted after `_since` (IG v2: only with `_since`). */
  deleted?: { type: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
}

export type JobStatus =
  | { state: 'in-progress'; progress: string }
  | { state: 'completed'; manifest: ExportManifest; expires: Date }
  | { state: 'failed'; message: string };

export function statusOf(job: LeasedJob<ExportJobState>, urlOf: (name: string) => string): JobStatus {
  const state = job.payload;
  if (job.status === 'dead') return { state: 'failed', message: job.lastError ?? 'export failed' };
  if (job.status === 'running') {
    const { resources, typesDone, types } = state.progress;
    return { state: 'in-progress', progress: `${typesDone} of ${types} types, ${resources} resources` };
  }
  return { state: 'completed', manifest: manifestOf(state, urlOf), expires: new Date(state.expiresAt ?? 0) };
}

export function manifestOf(state: ExportJobState, urlOf: (name: string) => string): ExportManifest {
  const entry = (file: ExportFile) => ({ type: file.type, url: urlOf(file.name), count: file.count });
  return {
    transactionTime: state.transactionTime,
    request: state.request.requestUrl,
    requiresAccessToken: true,
    output: (state.output ?? []).map(entry),
    ...(state.request.since === undefined ? {} : { deleted: (state.deleted ?? []).map(entry) }),
    error: (state.error ?? []).map(entry),
  };
}

/** Every file a finished export may serve. */
export function filesOf(state: ExportJobState): ExportFile[] {
  return [...(state.output ?? []), ...(state.error ?? []), ...(state.deleted ?? [])];
}
