import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations } from '../migrations/index.ts';
import { migrate } from '../migrate.ts';
import { openPglite } from '../sql/pglite.ts';
import { dumpPgliteDataDir } from '../sql/pglite-dump.ts';

/**
 * A freshly migrated embedded database, made once per machine and copied for every test that
 * wants one. A new PGlite runs initdb and then every migration: ~5 CPU s, paid by each of the
 * hundred-odd PGlite suites and platforms of the test run; starting from a copy of the same
 * migrated data directory costs ~0.6 s. The copy is made by the code under test (openPglite +
 * migrate on an empty database), named by the migrations and the PGlite version, so a new or
 * changed migration makes a new one; each test still gets its own, isolated database.
 */
const key = createHash('sha256')
  .update(pgliteVersion())
  .update(JSON.stringify(migrations))
  .digest('hex')
  .slice(0, 16);
const templateDir = join(tmpdir(), `throughline-pglite-${key}`);
const templateTar = `${templateDir}.tar`;

/**
 * Puts a copy of the migrated template at `dataDir`, a PGlite data directory; one that exists
 * already (a platform started again on its data) is left as it is.
 */
export async function copyMigratedTemplate(dataDir: string): Promise<void> {
  if (existsSync(dataDir)) return;
  cpSync(await migratedTemplateDir(), dataDir, { recursive: true });
}

let tarball: Promise<Blob> | undefined;

/** The migrated template as a PGlite `loadDataDir` tarball, for in-memory databases. */
export function migratedTarball(): Promise<Blob> {
  tarball ??= readOrMakeTarball();
  return tarball;
}

async function migratedTemplateDir(): Promise<string> {
  if (existsSync(templateDir)) return templateDir;
  // Built beside it and renamed into place: a reader never sees half a template. Two test
  // processes starting at once may both build one; the second rename fails and its copy goes.
  const building = `${templateDir}.${process.pid}-${randomBytes(4).toString('hex')}`;
  const db = await openPglite(building);
  await migrate(db);
  await db.close();
  try {
    renameSync(building, templateDir);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(templateDir)) throw error;
  }
  return templateDir;
}

async function readOrMakeTarball(): Promise<Blob> {
  if (existsSync(templateTar)) return new Blob([readFileSync(templateTar)]);
  // Dumped from a copy: opening the template itself would write to it while others copy it.
  const scratch = mkdtempSync(join(tmpdir(), 'throughline-pglite-dump-'));
  try {
    await copyMigratedTemplate(`${scratch}/pglite`);
    const dump = await dumpPgliteDataDir(`${scratch}/pglite`);
    const bytes = new Uint8Array(await dump.arrayBuffer());
    const partial = `${templateTar}.${process.pid}-${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, bytes);
    renameSync(partial, templateTar);
    return new Blob([bytes]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  const manifest = join(entry.slice(0, entry.lastIndexOf('/dist/')), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
