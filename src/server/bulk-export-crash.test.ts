import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { createFhirRepository, type SqlDatabase } from '../store/index.ts';
import { openPostgres, postgresSkipReason } from '../store/testing/backends.ts';
import { downloadFile, kickOffExport, pollExport, type Manifest } from './testing/bulk-client.ts';
import { prepareServerProcess, startServerProcess, waitUntilReady } from './testing/server-process.ts';
import { clientCredentialsToken } from './testing/test-platform.ts';

/**
 * Export jobs survive their process: SIGKILL the platform in the middle of an export, start it
 * again; the status URL answers (from the durable job, not the dead process's memory) and the
 * export ends with every resource, while the files of the types finished before the kill are
 * not written again. Server PostgreSQL only: the durability of a real database is under test.
 */
const types = ['Patient', 'Organization', 'Practitioner', 'Location', 'Medication', 'Device'];
const perType = 4_000;

async function load(db: SqlDatabase): Promise<void> {
  const repository = createFhirRepository(db, { baseUrl: 'http://crash/fhir' });
  for (const resourceType of types) {
    const resources = Array.from({ length: perType }, (_, i) => ({
      resourceType,
      id: `${resourceType}-${i}`,
    }));
    await repository.importResources(resources as Resource[]);
  }
}

/** The state the export's job row holds, read as the next process would. */
async function jobState(db: SqlDatabase, id: string) {
  const rows = await db.query<{
    status: string;
    payload: { finished: Record<string, { file?: { name: string } }> };
  }>(`SELECT status, payload FROM job WHERE queue = 'bulk-export' AND key = $1`, [id]);
  return rows.rows[0]!;
}

test(
  'SIGKILL mid-export: the next process finishes it, keeping the files already finished',
  { skip: postgresSkipReason, timeout: 240_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bulk-crash-'));
    const { env, port, base, databaseUrl, drop } = await prepareServerProcess({
      schemaPrefix: 'bcrash',
      extra: { DATA_DIR: dataDir, BACKGROUND_WORKER: 'off', JOB_LEASE_SECONDS: '2' },
    });
    const db = openPostgres({ connectionString: databaseUrl, maxConnections: 2 });
    try {
      let server = startServerProcess(env);
      await waitUntilReady(server, { port });
      await load(db);
      const token = await clientCredentialsToken(base, { clientId: 'crash', secret: 'crash-secret' });
      const statusUrl = await kickOffExport(`${base}/fhir/$export?_type=${types.join(',')}`, token);
      const id = statusUrl.split('/').at(-1)!;
      // Killed once a type is finished and recorded, and before the last one is.
      for (;;) {
        const finished = Object.keys((await jobState(db, id)).payload.finished).length;
        if (finished >= 1) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      server.process.kill('SIGKILL');
      await once(server.process, 'exit');
      const atKill = await jobState(db, id);
      assert.equal(atKill.status, 'running', 'killed mid-export');
      const kept = Object.values(atKill.payload.finished).flatMap((each) =>
        each.file ? [each.file.name] : [],
      );
      assert.ok(kept.length >= 1 && kept.length < types.length, `finished at the kill: ${kept}`);
      const written = new Map(
        kept.map((name) => [name, statSync(join(dataDir, 'exports', id, name)).mtimeMs]),
      );

      server = startServerProcess(env);
      await waitUntilReady(server, { port });
      const poll = await pollExport(statusUrl, token, { timeoutMs: 120_000 });
      assert.equal(poll.status, 200, await poll.clone().text());
      const manifest = (await poll.json()) as Manifest;
      assert.deepEqual(
        manifest.output.map((file) => [file.type, file.count]),
        types.map((type) => [type, perType]),
      );
      for (const file of manifest.output) {
        const ids = new Set((await downloadFile(file, token)).map((resource) => resource.id));
        assert.equal(ids.size, perType, file.type);
      }
      for (const [name, mtime] of written)
        assert.equal(
          statSync(join(dataDir, 'exports', id, name)).mtimeMs,
          mtime,
          `${name} not written again`,
        );
      server.process.kill('SIGTERM');
      await once(server.process, 'exit');
      console.log(`# killed with ${kept.length} of ${types.length} types finished: ${kept.join(', ')}`);
    } finally {
      await db.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
