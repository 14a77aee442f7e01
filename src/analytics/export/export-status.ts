import type { ExportRequest } from './export-request.ts';
import type { ExportFile } from './run-export.ts';

export interface ExportJob {
  id: string;
  /** The principal that kicked it off: the only one who may poll, download or cancel. */
  owner: string;
  dir: string;
  request: ExportRequest;
  transactionTime: string;
  state: 'in-progress' | 'completed' | 'failed';
  progress: { resources: number; typesDone: number; types: number };
  output?: ExportFile[];
  error?: ExportFile[];
  failure?: string;
  /** Epoch ms after which the job and its files are gone (set when it ends). */
  expiresAt?: number;
  abort: AbortController;
  done: Promise<void>;
}

/** IG v2 §5.3.4: the complete-status body. */
export interface ExportManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
}

export type JobStatus =
  | { state: 'in-progress'; progress: string }
  | { state: 'completed'; manifest: ExportManifest; expires: Date }
  | { state: 'failed'; message: string };

export function statusOf(job: ExportJob, urlOf: (name: string) => string): JobStatus {
  if (job.state === 'failed') return { state: 'failed', message: job.failure ?? 'export failed' };
  if (job.state === 'in-progress') {
    const { resources, typesDone, types } = job.progress;
    return { state: 'in-progress', progress: `${typesDone} of ${types} types, ${resources} resources` };
  }
  return { state: 'completed', manifest: manifestOf(job, urlOf), expires: new Date(job.expiresAt ?? 0) };
}

export function manifestOf(job: ExportJob, urlOf: (name: string) => string): ExportManifest {
  const entry = (file: ExportFile) => ({ type: file.type, url: urlOf(file.name), count: file.count });
  return {
    transactionTime: job.transactionTime,
    request: job.request.requestUrl,
    requiresAccessToken: true,
    output: (job.output ?? []).map(entry),
    error: (job.error ?? []).map(entry),
  };
}
