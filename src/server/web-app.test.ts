import { test } from 'node:test';
import assert from 'node:assert/strict';
import fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { CONTENT_SECURITY_POLICY, registerWebApp } from './web-app.ts';

/** A stand-in build: the serving rules do not depend on what the page contains. */
function fakeBuild(): string {
  const dist = mkdtempSync(join(tmpdir(), 'throughline-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'app.js.br'), brotliCompressSync('console.log(1)'));
  return `${dist}/`;
}

test('the web app: pages get the app with a CSP, assets are immutable, API paths keep their 404', async () => {
  const dist = fakeBuild();
  const app = fastify();
  app.get('/api/thing', async () => ({ ok: true }));
  registerWebApp(app, dist);
  try {
    const root = await app.inject({ url: '/' });
    assert.equal(root.statusCode, 200);
    assert.equal(root.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/, 'no inline scripts');
    const deep = await app.inject({ url: '/patients/123', headers: { accept: 'text/html' } });
    assert.equal(deep.statusCode, 200, 'a reload deep in the app gets the app');
    assert.match(deep.body, /<!doctype html>/);
    const asset = await app.inject({ url: '/assets/app.js' });
    assert.match(String(asset.headers['cache-control']), /immutable/);
    const compressed = await app.inject({
      url: '/assets/app.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    assert.equal(compressed.headers['content-encoding'], 'br', 'the build’s brotli copy, as it is');
    assert.match(String(compressed.headers['cache-control']), /immutable/);
    const api = await app.inject({ url: '/api/nothing', headers: { accept: 'text/html' } });
    assert.equal(api.statusCode, 404);
    assert.equal(JSON.parse(api.body).resourceType, 'OperationOutcome');
    const json = await app.inject({ url: '/somewhere' });
    assert.equal(json.statusCode, 404, 'non-browser callers still get the API 404');
  } finally {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  }
});

test('a rebuild under a running server: the new page and its new assets are served, the old ones are gone', async () => {
  const dist = fakeBuild();
  const app = fastify();
  registerWebApp(app, dist);
  try {
    assert.equal((await app.inject({ url: '/assets/app.js' })).statusCode, 200);
    // What build-web-app.ts does meanwhile (another start, a test): a new build swapped in whole.
    rmSync(join(dist, 'assets'), { recursive: true, force: true });
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets', 'app-2.js'), 'console.log(2)');
    writeFileSync(join(dist, 'assets', 'app-2.js.br'), brotliCompressSync('console.log(2)'));
    writeFileSync(join(dist, 'index.html'), '<script type="module" src="/assets/app-2.js"></script>');
    writeFileSync(join(dist, '.source-hash'), 'abc');
    const page = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    assert.match(page.body, /app-2\.js/, 'the new index.html');
    assert.equal(page.headers['cache-control'], 'no-cache', 'revalidated, never kept by the browser');
    const asset = await app.inject({ url: '/assets/app-2.js', headers: { 'accept-encoding': 'br' } });
    assert.equal(asset.statusCode, 200, 'the new build’s asset (a start-time file list had no route for it)');
    assert.equal(asset.headers['content-encoding'], 'br');
    const old = await app.inject({ url: '/assets/app.js' });
    assert.equal(old.statusCode, 404);
    assert.equal(JSON.parse(old.body).resourceType, 'OperationOutcome', 'a missing asset is no page');
    const stamp = await app.inject({ url: '/.source-hash' });
    assert.equal(stamp.statusCode, 404, 'dot files of the build are not served');
  } finally {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  }
});

test('without a build, / is the API 404', async () => {
  const app = fastify();
  registerWebApp(app, join(tmpdir(), 'no-such-build/'));
  const root = await app.inject({ url: '/' });
  assert.equal(root.statusCode, 404);
  await app.close();
});
