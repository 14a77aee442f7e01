import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import fastify from 'fastify';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { parseConfig } from '../kernel/config.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { registerSecurityHeaders } from './http-hygiene.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Issue 12, the HTTP edge: Bundles over MAX_BUNDLE_ENTRIES are refused before they are run, a
 * client that sends headers slowly is cut off, and every answer carries the hygiene headers.
 */
describe('HTTP limits and hygiene [pglite]', () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform(pgliteBackend, {
      HTTP_HEADERS_TIMEOUT_SECONDS: '1',
      MAX_BUNDLE_ENTRIES: '5',
    });
  });
  after(() => platform.stop());

  const patientCount = async () =>
    ((await (await platform.fetch('/fhir/Patient?_summary=count')).json()) as Bundle).total;

  const transaction = (entries: number): Bundle => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: Array.from({ length: entries }, (_, index) => ({
      resource: { resourceType: 'Patient', name: [{ family: `Bulk${index}` }] },
      request: { method: 'POST', url: 'Patient' },
    })),
  });

  test('a Bundle over MAX_BUNDLE_ENTRIES is a 413 naming Bundle.entry, on /fhir and /fhir/', async () => {
    assert.equal(parseConfig({}).maxBundleEntries, 1000, 'the default');
    for (const path of ['/fhir', '/fhir/']) {
      const response = await platform.fetch(path, { method: 'POST', body: JSON.stringify(transaction(6)) });
      const outcome = (await response.json()) as OperationOutcome;
      assert.equal(response.status, 413, JSON.stringify(outcome));
      assert.equal(outcome.issue[0]?.expression?.[0], 'Bundle.entry');
    }
    assert.equal(await patientCount(), 0, 'nothing of it was run');
    const full = await platform.fetch('/fhir', { method: 'POST', body: JSON.stringify(transaction(5)) });
    assert.equal(full.status, 200, await full.text());
    const batch = { ...transaction(6), type: 'batch' };
    assert.equal(
      (await platform.fetch('/fhir', { method: 'POST', body: JSON.stringify(batch) })).status,
      413,
    );
  });

  test('a client sending its headers a byte at a time slower than the headers timeout is cut off', async () => {
    const { port } = new URL(platform.url);
    const socket = connect(Number(port), '127.0.0.1');
    const request = Buffer.from(
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(100) + '\r\n\r\n',
    );
    let sent = 0;
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString()));
    // The server answers 408 and closes; a byte dripped after that can meet a reset (ECONNRESET).
    // 'close' follows either way: the assertions below judge what was answered.
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // Bounded by writes, not milliseconds (a loaded machine delays the writes as much as the
    // server's timers): all written and not cut off, the socket is ended and the assertions judge.
    const drip = setInterval(() => {
      if (socket.destroyed) return;
      if (sent < request.length) socket.write(request.subarray(sent, ++sent));
      else socket.end();
    }, 100);
    await closed;
    clearInterval(drip);
    assert.ok(sent < request.length, `cut off before the headers were complete (${sent} bytes sent)`);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  test('answers carry nosniff, and no-store under /fhir and /api', async () => {
    for (const path of ['/fhir/Patient', '/fhir/metadata', '/api/audit', '/fhir/Patient?name=%00']) {
      const response = await platform.fetch(path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('cache-control'), 'no-store', path);
      assert.equal(response.headers.get('strict-transport-security'), null, 'no HSTS over plain http');
    }
    const health = await fetch(`${platform.url}/healthz`);
    assert.equal(health.headers.get('x-content-type-options'), 'nosniff');
  });

  test('HTTP_* timeouts are checked: headers may not outlast the request', () => {
    assert.throws(
      () => parseConfig({ HTTP_HEADERS_TIMEOUT_SECONDS: '60', HTTP_REQUEST_TIMEOUT_SECONDS: '30' }),
      /HTTP_HEADERS_TIMEOUT_SECONDS/,
    );
    assert.equal(parseConfig({}).host, '127.0.0.1', 'loopback unless HOST says otherwise');
  });
});

test('Strict-Transport-Security when BASE_URL is https (TLS ends at a proxy in front)', async () => {
  const app = fastify();
  registerSecurityHeaders(app, parseConfig({ BASE_URL: 'https://clinic.example' }));
  app.get('/fhir/metadata', async () => ({ ok: true }));
  const response = await app.inject({ method: 'GET', url: '/fhir/metadata' });
  assert.match(String(response.headers['strict-transport-security']), /^max-age=31536000/);
  await app.close();
});
