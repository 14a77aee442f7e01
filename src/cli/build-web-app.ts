import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  globSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../kernel/logger.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const STAMP = 'web/dist/.source-hash';
const LOCK = 'web/.build-lock';
const LOCK_WAIT_MS = 5 * 60_000;

/** What the build is made of: when their content changes, the build is stale. */
function sourceHash(): string {
  const files = [
    ...globSync('web/src/**/*', { cwd: root, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `${entry.parentPath}/${entry.name}`.slice(root.length)),
    ...globSync('web/public/**/*', { cwd: root }),
    'web/index.html',
    'web/vite.config.ts',
    'package-lock.json',
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    if (!existsSync(`${root}${file}`)) continue;
    hash.update(file).update('\0');
    try {
      hash.update(readFileSync(`${root}${file}`)).update('\0');
    } catch {
      // A folder listed by the public/ glob: its files are listed on their own.
    }
  }
  return hash.digest('hex');
}

function viteBinary(): string | undefined {
  try {
    // vite exports its package.json but not its bin file: find the bin beside it.
    const manifest = createRequire(`${root}package.json`).resolve('vite/package.json');
    return join(dirname(manifest), 'bin', 'vite.js');
  } catch {
    return undefined;
  }
}

/**
 * Brotli and gzip copies beside each script and stylesheet, served as they are
 * (`preCompressed` in src/server/web-app.ts): the first load moves about a quarter of the
 * bytes, compressed once at build time at the best ratio rather than on every request.
 */
function precompress(dir: string): void {
  for (const file of globSync(`${dir}/assets/*.{js,css,svg}`)) {
    const body = readFileSync(file);
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  }
}

/** The pid in the lock file (0 when it is gone, or not written yet). */
function lockHolder(): number {
  try {
    return Number(readFileSync(`${root}${LOCK}`, 'utf8')) || 0;
  } catch {
    return 0;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * One build at a time (test files and servers starting together would each start one, and Vite
 * refuses a second): the lock file holds the builder's pid; a waiter sleeps until it is gone (or
 * its process is), then looks again whether the build is still needed.
 */
function takeBuildLock(): boolean {
  const deadline = Date.now() + LOCK_WAIT_MS;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < deadline) {
    try {
      const fd = openSync(`${root}${LOCK}`, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch {
      const holder = lockHolder();
      if (holder && !alive(holder)) rmSync(`${root}${LOCK}`, { force: true });
      Atomics.wait(sleeper, 0, 0, 250);
    }
  }
  return false;
}

/**
 * Builds the staff web app (`web/` → `web/dist`) when the build is missing or older than its
 * sources, so `npm install && npm start` serves it with no separate command. Vite runs in a
 * child process (its memory is not the server's), with its output shown as the start's step.
 * An install without dev dependencies keeps a build it has, and says so when it has none.
 */
export function buildWebApp(logger: Pick<Logger, 'info' | 'warn'>): void {
  if (!existsSync(`${root}web/index.html`) || isFresh()) return;
  if (!takeBuildLock()) throw new Error(`Another web app build held ${LOCK} for 5 minutes`);
  try {
    // Whoever held the lock may have built it meanwhile.
    if (!isFresh()) buildNow(logger);
  } finally {
    rmSync(`${root}${LOCK}`, { force: true });
  }
}

const isFresh = () =>
  existsSync(`${root}web/dist/index.html`) &&
  existsSync(`${root}${STAMP}`) &&
  readFileSync(`${root}${STAMP}`, 'utf8') === sourceHash();

function buildNow(logger: Pick<Logger, 'info' | 'warn'>): void {
  const hash = sourceHash();
  const built = existsSync(`${root}web/dist/index.html`);
  const vite = viteBinary();
  if (!vite) {
    logger.warn(
      'the web app build is missing or stale and vite is not installed (npm install): serving the API only',
    );
    return;
  }
  logger.info(
    built ? 'web app sources changed: rebuilding web/dist' : 'building the web app (web/ → web/dist, once)',
  );
  // Built aside and swapped in, so a server starting meanwhile never sees half a build.
  const aside = `web/.dist-${process.pid}`;
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.ts', '--outDir', `${root}${aside}`, '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    rmSync(`${root}${aside}`, { recursive: true, force: true });
    throw new Error('Building the web app failed (see above): fix web/ or run npm run build:web');
  }
  precompress(`${root}${aside}`);
  writeFileSync(`${root}${aside}/.source-hash`, hash);
  rmSync(`${root}web/dist`, { recursive: true, force: true });
  renameSync(`${root}${aside}`, `${root}web/dist`);
  logger.info('web app built');
}
