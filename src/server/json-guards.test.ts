import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Issue 13 item 4: no input gives a 5xx or stores what is not FHIR. Deep JSON (a Patient whose
 * extensions nest 5,000 levels) was a 500 and 1,000 levels was stored; `__proto__` and
 * `constructor` keys were stored as they were; a 300-character id got Fastify's own 414 JSON.
 */
describe('JSON guards and framework errors at the HTTP edge [pglite]', () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
  });
  after(() => platform.stop());

  /** A Patient whose extension nests `levels` deep (two brackets a level), as raw text. */
  const nested = (levels: number) =>
    '{"resourceType":"Patient","extension":[' +
    '{"url":"http://x.test","extension":['.repeat(levels) +
    '{"url":"http://x.test","valueString":"v"}' +
    ']}'.repeat(levels) +
    ']}';

  async function assertOutcome(response: Response, status: number): Promise<OperationOutcome> {
    const text = await response.text();
    assert.equal(response.status, status, text);
    assert.match(response.headers.get('content-type') ?? '', /application\/fhir\+json/);
    const outcome = JSON.parse(text) as OperationOutcome;
    assert.equal(outcome.resourceType, 'OperationOutcome', text);
    return outcome;
  }

  const post = (path: string, body: string) => platform.fetch(path, { method: 'POST', body });

  test('nesting deeper than MAX_JSON_DEPTH is a 400 before validation, at any depth', async () => {
    for (const levels of [5000, 1000, 32]) {
      const outcome = await assertOutcome(await post('/fhir/Patient', nested(levels)), 400);
      assert.match(outcome.issue[0]!.diagnostics!, /deeper than 64 levels.*MAX_JSON_DEPTH/);
      assert.equal(outcome.issue[0]!.code, 'structure');
    }
    // 30 levels are 62 brackets (with the Patient's own and its extension array): still accepted.
    assert.equal((await post('/fhir/Patient', nested(30))).status, 201);
  });

  test('every JSON route refuses deep JSON: bundles, PUT, /auth, /api, $match', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const bundle = `{"resourceType":"Bundle","type":"batch","entry":[{"resource":${nested(40)},"request":{"method":"POST","url":"Patient"}}]}`;
    await assertOutcome(await post('/fhir', bundle), 400);
    await assertOutcome(await platform.fetch('/fhir/Patient/p1', { method: 'PUT', body: nested(40) }), 400);
    for (const path of ['/auth/login', '/api/identity/link', '/fhir/Patient/$match', '/fhir/AuditEvent']) {
      const outcome = await assertOutcome(await post(path, deep), 400);
      assert.match(outcome.issue[0]!.diagnostics!, /MAX_JSON_DEPTH/, path);
    }
  });

  test('__proto__, constructor and prototype keys are unknown elements, at the top or inside', async () => {
    const cases: [string, string][] = [
      ['{"resourceType":"Patient","__proto__":{"polluted":1}}', 'Patient.__proto__'],
      ['{"resourceType":"Patient","constructor":{"prototype":{"polluted":1}}}', 'Patient.constructor'],
      ['{"resourceType":"Patient","name":[{"family":"x","constructor":1}]}', 'Patient.name[0].constructor'],
      [
        '{"resourceType":"Patient","name":[{"family":"x","__proto__":{"given":["y"]}}]}',
        'Patient.name[0].__proto__',
      ],
      ['{"resourceType":"Patient","\\u0063onstructor":1}', 'Patient.constructor'],
    ];
    for (const [body, expression] of cases) {
      const outcome = await assertOutcome(await post('/fhir/Patient', body), 400);
      assert.equal(outcome.issue[0]!.expression?.[0], expression, body);
    }
    const put = await platform.fetch('/fhir/Patient/proto', {
      method: 'PUT',
      body: cases[0]![0].replace('{', '{"id":"proto",'),
    });
    await assertOutcome(put, 400);
    const login = await assertOutcome(
      await post('/auth/login', '{"email":"a@b.test","__proto__":{"admin":true}}'),
      400,
    );
    assert.equal(login.issue[0]!.expression?.[0], '__proto__');
    const batch = await platform.fetch('/fhir', {
      method: 'POST',
      body: `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":${cases[2]![0]},"request":{"method":"POST","url":"Patient"}}]}`,
    });
    const inBundle = await assertOutcome(batch, 400);
    assert.equal(inBundle.issue[0]!.expression?.[0], 'Bundle.entry[0].resource.name[0].constructor');
    const stored = (await (await platform.fetch('/fhir/Patient?family=x&_total=accurate')).json()) as Bundle;
    assert.equal(stored.total, 0, 'nothing of them is stored');
  });

  test('empty arrays and objects are not FHIR JSON: a 400 naming the element, nothing stored', async () => {
    const cases: [string, string][] = [
      ['{"resourceType":"Patient","name":[{"family":[],"given":["Empty"]}]}', 'Patient.name[0].family'],
      ['{"resourceType":"Patient","name":[{"family":"Empty"}],"telecom":[]}', 'Patient.telecom'],
      ['{"resourceType":"Patient","name":[{"family":"Empty"}],"meta":{}}', 'Patient.meta'],
    ];
    for (const [body, expression] of cases) {
      const outcome = await assertOutcome(await post('/fhir/Patient', body), 400);
      assert.equal(outcome.issue[0]!.expression?.[0], expression, body);
    }
    const stored = (await (
      await platform.fetch('/fhir/Patient?family=Empty&_total=accurate')
    ).json()) as Bundle;
    assert.equal(stored.total, 0);
  });

  test('an over-long or badly encoded path is a 400 OperationOutcome, not Fastify JSON', async () => {
    for (const path of [
      `/fhir/Patient/${'a'.repeat(300)}`,
      `/fhir/Patient/${'a'.repeat(300)}/_history/1`,
      `/fhir/Patient/p1/_history/${'9'.repeat(300)}`,
      `/fhir/${'A'.repeat(300)}`,
    ]) {
      const outcome = await assertOutcome(await platform.fetch(path), 400);
      assert.equal(outcome.issue[0]!.expression?.[0], 'url', path);
    }
    await assertOutcome(await platform.fetch('/fhir/Patient/%E0%A4%A'), 400);
    // 65 characters reach the route, which refuses the id itself.
    await assertOutcome(await platform.fetch(`/fhir/Patient/${'a'.repeat(65)}`), 400);
  });
});
