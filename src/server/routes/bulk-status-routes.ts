import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit } from '../../access/index.ts';
import type { ExportJobs } from '../../analytics/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';

type JobRequest = FastifyRequest<{ Params: { id: string; file?: string } }>;

/** How soon a client should poll again while an export runs (seconds). */
const retryAfterSeconds = 2;

/**
 * IG v2 §5.3 status (202 with `X-Progress` and `Retry-After`, then 200 with the manifest),
 * §5.2 delete to cancel, §5.4 file download with the same token. Only the client that kicked
 * an export off sees it; anyone else gets 404.
 */
export function registerBulkStatusRoutes(
  routes: FastifyInstance,
  deps: ServerDeps,
  exports: ExportJobs,
): void {
  routes.get<{ Params: { id: string } }>('/fhir/bulk-status/:id', async (request, reply) => {
    const status = await exports.status(jobId(request), request.principal.id);
    if (status.state === 'in-progress')
      return reply
        .code(202)
        .header('x-progress', status.progress)
        .header('retry-after', retryAfterSeconds)
        .send();
    if (status.state === 'failed')
      throw new ThroughlineError('INTERNAL', `The export failed: ${status.message}`);
    return reply
      .code(200)
      .header('expires', status.expires.toUTCString())
      .type('application/json')
      .send(status.manifest);
  });
  routes.delete<{ Params: { id: string } }>('/fhir/bulk-status/:id', async (request, reply) => {
    await exports.cancel(jobId(request), request.principal.id);
    return reply.code(202).send();
  });
  registerFileRoute(routes, deps, exports);
}

/** A file of a finished export, for the client that kicked it off; each download is audited. */
function registerFileRoute(routes: FastifyInstance, deps: ServerDeps, exports: ExportJobs): void {
  routes.get<{ Params: { id: string; file: string } }>(
    '/fhir/bulk-files/:id/:file',
    async (request, reply) => {
      const path = await exports.file(jobId(request), request.principal.id, request.params.file);
      await recordAudit(
        deps.db,
        { principal: request.principal, context: { requestId: request.id, remoteAddress: request.ip } },
        {
          action: 'bulk-download',
          patients: [],
          outcome: 'success',
          detail: `export ${jobId(request)} ${request.params.file}`,
        },
      );
      return reply.type('application/fhir+ndjson').send(createReadStream(path));
    },
  );
}

function jobId(request: JobRequest): string {
  const { id } = request.params;
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new ThroughlineError('NOT_FOUND', `Export ${id} not found`);
  return id;
}
