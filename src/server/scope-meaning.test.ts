import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../store/testing/backends.ts';
import {
  addApp,
  addStaffUser,
  authorize,
  launchApp,
  loginToken,
  pkcePair,
  tokenRequest,
} from './testing/auth-flows.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/** Issue #12, "scopes mean what they say": what a token says it may do is what it may do. */
describe('scopes mean what they say', () => {
  let platform: TestPlatform;
  let nurse: string;
  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
    await addStaffUser(platform, 'nurse@scopes.test', { scopes: ['user/*.cruds'], roles: ['nurse'] });
    nurse = await loginToken(platform, 'nurse@scopes.test');
  });
  after(() => platform.stop());

  const get = (path: string, token: string) => platform.fetch(path, { token });

  test("a nurse's app granted user/AuditEvent.rs still cannot read the audit log (the role decides)", async () => {
    const launched = await launchApp(platform, {
      staffToken: nurse,
      scope: 'user/AuditEvent.rs online_access',
    });
    assert.equal(launched.scope, 'user/AuditEvent.rs online_access');
    assert.equal((await get('/api/audit', launched.accessToken)).status, 403);
    assert.equal((await get('/api/audit', nurse)).status, 403);
  });

  test('SMART v2 granular scopes are not granted: the token answer shows what was given', async () => {
    const app = await addApp(platform);
    const launched = await launchApp(platform, {
      staffToken: nurse,
      app,
      scope: 'user/Observation.rs?category=vital-signs user/Patient.rs online_access',
    });
    assert.equal(launched.scope, 'user/Patient.rs online_access');
    const { challenge } = pkcePair();
    const onlyGranular = await authorize(platform, nurse, {
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: app.redirectUris[0]!,
      scope: 'user/Observation.rs?category=vital-signs',
      state: 'g1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      aud: `${platform.url}/fhir`,
    });
    assert.equal(onlyGranular.location?.searchParams.get('error'), 'invalid_scope');
  });

  test('refresh honours a narrower scope and refuses a wider one without spending the token', async () => {
    const app = await addApp(platform);
    const launched = await launchApp(platform, { staffToken: nurse, app, scope: 'user/*.rs offline_access' });
    const refresh = (refreshToken: string, scope?: string) =>
      tokenRequest(platform, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: app.clientId,
        ...(scope ? { scope } : {}),
      });
    const wider = await refresh(launched.refreshToken!, 'user/*.cruds');
    assert.equal(wider.status, 400);
    assert.equal(wider.body.error, 'invalid_scope');
    const narrow = await refresh(launched.refreshToken!, 'user/Patient.rs');
    assert.equal(narrow.status, 200, JSON.stringify(narrow.body));
    assert.equal(narrow.body.scope, 'user/Patient.rs');
    const token = narrow.body.access_token!;
    assert.equal((await get('/fhir/Patient?_count=1', token)).status, 200);
    assert.equal((await get('/fhir/Observation?_count=1', token)).status, 403);
    const again = await refresh(narrow.body.refresh_token!);
    assert.equal(again.body.scope, 'user/*.rs offline_access', 'the grant itself is unchanged');
  });

  test('authorize needs state and an aud naming this FHIR base (400, never redirected)', async () => {
    const app = await addApp(platform);
    const { challenge } = pkcePair();
    const parameters = {
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: app.redirectUris[0]!,
      scope: 'user/*.rs',
      state: 's1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      aud: `${platform.url}/fhir`,
    };
    const { state: _state, ...noState } = parameters;
    const { aud: _aud, ...noAud } = parameters;
    for (const [name, query] of [
      ['no state', noState],
      ['no aud', noAud],
      ['another aud', { ...parameters, aud: 'https://elsewhere.example/fhir' }],
    ] as const) {
      const answer = await authorize(platform, nurse, query);
      assert.equal(answer.status, 400, name);
      assert.equal(answer.location, undefined, name);
      assert.equal((answer.body as { error: string }).error, 'invalid_request', name);
    }
    assert.equal((await authorize(platform, nurse, parameters)).status, 302);
  });

  test('the Bearer scheme is case-insensitive', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const response = await fetch(`${platform.url}/fhir/Patient?_count=1`, {
        headers: { authorization: `${scheme} ${nurse}` },
      });
      assert.equal(response.status, 200, scheme);
    }
  });
});
