import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../store/testing/backends.ts';
import {
  addApp,
  addStaffUser,
  auditCount,
  authorize,
  launchApp,
  loginToken,
  pkcePair,
  tokenRequest,
} from './testing/auth-flows.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

describeEachBackend('SMART app launch: authorization code + PKCE, refresh rotation', (backend) => {
  let platform: TestPlatform;
  let staffToken: string;
  before(async () => {
    platform = await startTestPlatform(backend);
    await addStaffUser(platform, 'smart@test.clinic');
    staffToken = await loginToken(platform, 'smart@test.clinic');
  });
  after(() => platform.stop());

  const readPatients = (token: string) => platform.fetch('/fhir/Patient?_count=1', { token });
  const authorizeParameters = (clientId: string, challenge: string, extra: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: 'https://app.example/callback',
    scope: 'user/*.rs offline_access',
    state: 's1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    aud: `${platform.url}/fhir`,
    ...extra,
  });

  test('discovery names the endpoints, grant types, S256 and the capabilities that are true', async () => {
    const smart = (await (await fetch(`${platform.url}/.well-known/smart-configuration`)).json()) as Record<
      string,
      string[] | string
    >;
    assert.equal(smart.authorization_endpoint, `${platform.url}/oauth2/authorize`);
    assert.deepEqual(smart.code_challenge_methods_supported, ['S256']);
    for (const grant of ['authorization_code', 'client_credentials', 'refresh_token']) {
      assert.ok(smart.grant_types_supported!.includes(grant), grant);
    }
    for (const capability of [
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'permission-v2',
    ]) {
      assert.ok(smart.capabilities!.includes(capability), capability);
    }
    assert.ok(!smart.capabilities!.includes('context-standalone-patient'), 'no patient picker: not claimed');
  });

  test('a public app gets a code for the signed-in user, exchanges it with the verifier, reads FHIR', async () => {
    const app = await addApp(platform);
    const { verifier, challenge } = pkcePair();
    const answer = await authorize(platform, staffToken, authorizeParameters(app.clientId, challenge));
    assert.equal(answer.status, 302);
    assert.equal(answer.location!.origin + answer.location!.pathname, 'https://app.example/callback');
    assert.equal(answer.location!.searchParams.get('state'), 's1');
    const code = answer.location!.searchParams.get('code')!;
    const exchange = (codeVerifier: string) =>
      tokenRequest(platform, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://app.example/callback',
        code_verifier: codeVerifier,
        client_id: app.clientId,
      });
    const wrongVerifier = await exchange(pkcePair().verifier);
    assert.equal(wrongVerifier.status, 400);
    assert.equal(wrongVerifier.body.error, 'invalid_grant');
    const tokens = await exchange(verifier);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.scope, 'user/*.rs offline_access');
    assert.ok(tokens.body.refresh_token);
    assert.equal((await readPatients(tokens.body.access_token!)).status, 200);
    const claims = JSON.parse(atob(tokens.body.access_token!.split('.')[1]!)) as Record<string, string>;
    assert.equal(claims.client_id, app.clientId);

    const replay = await exchange(verifier);
    assert.equal(replay.body.error, 'invalid_grant', 'a code is single-use');
    assert.equal(
      (await readPatients(tokens.body.access_token!)).status,
      401,
      'a replayed code revokes its grant',
    );
  });

  test('authorize refuses without PKCE S256, with unknown redirect URIs, and for app tokens', async () => {
    const app = await addApp(platform);
    const { challenge } = pkcePair();
    const plain = await authorize(platform, staffToken, {
      ...authorizeParameters(app.clientId, challenge),
      code_challenge_method: 'plain',
    });
    assert.equal(plain.location?.searchParams.get('error'), 'invalid_request');
    assert.equal(plain.location?.searchParams.get('state'), 's1');
    const { code_challenge: _omitted, ...withoutPkce } = authorizeParameters(app.clientId, challenge);
    const missing = await authorize(platform, staffToken, withoutPkce);
    assert.equal(missing.location?.searchParams.get('error'), 'invalid_request');
    const elsewhere = await authorize(platform, staffToken, {
      ...authorizeParameters(app.clientId, challenge),
      redirect_uri: 'https://attacker.example/callback',
    });
    assert.equal(elsewhere.status, 400, 'never redirect to an unregistered URI');
    assert.equal(elsewhere.location, undefined);
    const scopeless = await authorize(platform, staffToken, {
      ...authorizeParameters(app.clientId, challenge),
      scope: 'system/*.cruds',
    });
    assert.equal(scopeless.location?.searchParams.get('error'), 'invalid_scope');
    const launched = await launchApp(platform, { staffToken, app });
    const byApp = await authorize(
      platform,
      launched.accessToken,
      authorizeParameters(app.clientId, challenge),
    );
    assert.equal(byApp.status, 403, 'an app cannot authorize another app');
  });

  test('an app never gets more than its user: a front-desk user cannot grant lab results', async () => {
    await addStaffUser(platform, 'desk@test.clinic', {
      scopes: ['user/Patient.rs', 'user/Appointment.cruds'],
      roles: ['front-desk'],
    });
    const desk = await loginToken(platform, 'desk@test.clinic');
    const launched = await launchApp(platform, {
      staffToken: desk,
      scope: 'user/Patient.rs user/Observation.rs online_access',
    });
    assert.equal(launched.scope, 'user/Patient.rs online_access');
  });

  test('refresh tokens rotate; a reused one revokes the whole family and is audited', async () => {
    const app = await addApp(platform);
    const first = await launchApp(platform, { staffToken, app });
    const refresh = (token: string) =>
      tokenRequest(platform, { grant_type: 'refresh_token', refresh_token: token, client_id: app.clientId });
    const second = await refresh(first.refreshToken!);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refresh_token, first.refreshToken);
    assert.equal((await readPatients(second.body.access_token!)).status, 200);
    const third = await refresh(second.body.refresh_token!);
    assert.equal(third.status, 200);

    const reusesBefore = await auditCount(platform, 'refresh-token-reuse');
    const reuse = await refresh(first.refreshToken!);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.equal(await auditCount(platform, 'refresh-token-reuse'), reusesBefore + 1);
    assert.equal(
      (await refresh(third.body.refresh_token!)).body.error,
      'invalid_grant',
      'the newest is dead too',
    );
    assert.equal((await readPatients(third.body.access_token!)).status, 401, 'and so are its access tokens');
    const other = await addApp(platform);
    const stranger = await tokenRequest(platform, {
      grant_type: 'refresh_token',
      refresh_token: (await launchApp(platform, { staffToken, app })).refreshToken!,
      client_id: other.clientId,
    });
    assert.equal(stranger.body.error, 'invalid_grant', 'a refresh token works only for its own app');
  });

  test('online_access ends at logout; offline_access outlives it', async () => {
    await addStaffUser(platform, 'online@test.clinic');
    const token = await loginToken(platform, 'online@test.clinic');
    const app = await addApp(platform);
    const online = await launchApp(platform, { staffToken: token, app, scope: 'user/*.rs online_access' });
    const offline = await launchApp(platform, { staffToken: token, app, scope: 'user/*.rs offline_access' });
    assert.equal((await platform.fetch('/auth/logout', { method: 'POST', token })).status, 204);
    assert.equal((await readPatients(online.accessToken)).status, 401);
    const refreshOnline = await tokenRequest(platform, {
      grant_type: 'refresh_token',
      refresh_token: online.refreshToken!,
      client_id: app.clientId,
    });
    assert.equal(refreshOnline.body.error, 'invalid_grant');
    assert.equal((await readPatients(offline.accessToken)).status, 200);
  });

  test('a confidential app authenticates with its secret (HTTP Basic) as well as PKCE', async () => {
    const app = await addApp(platform, { secret: 'app-secret' });
    const { verifier, challenge } = pkcePair();
    const answer = await authorize(platform, staffToken, authorizeParameters(app.clientId, challenge));
    const form = {
      grant_type: 'authorization_code',
      code: answer.location!.searchParams.get('code')!,
      redirect_uri: 'https://app.example/callback',
      code_verifier: verifier,
    };
    const withoutSecret = await tokenRequest(platform, { ...form, client_id: app.clientId });
    assert.equal(withoutSecret.status, 401);
    assert.equal(withoutSecret.body.error, 'invalid_client');
    const basic = `Basic ${Buffer.from(`${app.clientId}:app-secret`).toString('base64')}`;
    const tokens = await tokenRequest(platform, form, { authorization: basic });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  });
});
