import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { exportSPKI, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { describeEachBackend } from '../store/testing/backends.ts';
import {
  addApp,
  addStaffUser,
  auditCount,
  launchApp,
  loginToken,
  tokenRequest,
} from './testing/auth-flows.ts';
import { oidcPlatformPerSuite } from './testing/oidc-provider.ts';

/**
 * The token-tampering suite (issue 5, "Done when"): every forged, altered, expired or revoked
 * token is refused with 401 through the real HTTP API, and each refusal leaves one
 * `auth-rejected` audit row saying why.
 */
const JWT_SECRET = 'tampering-suite-secret-0123456789abcdef';
const key = new TextEncoder().encode(JWT_SECRET);
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inFiveMinutes = () => Math.floor(Date.now() / 1000) + 300;
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as JWTPayload;

describeEachBackend('token tampering is refused and audited', (backend) => {
  const { platform, provider } = oidcPlatformPerSuite(backend, { JWT_SECRET });
  before(async () => {
    await addStaffUser(platform, 'tamper@test.clinic');
  });

  /** A token signed with the real key, with claims as the platform issues them unless overridden. */
  const localToken = (claims: JWTPayload, issuer = platform.url, audience = `${platform.url}/fhir`) =>
    new SignJWT({
      kind: 'system',
      scope: 'system/*.cruds',
      roles: ['admin'],
      exp: inFiveMinutes(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('test-admin')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .sign(key);

  /** Asserts 401 on a FHIR read, one more `auth-rejected` row, and returns that row's reason. */
  const assertRefused = async (token: string): Promise<string> => {
    const before = await auditCount(platform, 'auth-rejected');
    const response = await platform.fetch('/fhir/Patient?_count=1', { token });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
    assert.equal(await auditCount(platform, 'auth-rejected'), before + 1, 'one audit row per refusal');
    const row = await platform.db.query<{ detail: string }>(
      `SELECT detail FROM audit_log WHERE action = 'auth-rejected' ORDER BY id DESC LIMIT 1`,
    );
    return row.rows[0]!.detail;
  };

  test('the untampered tokens work (so each refusal below is the tampering)', async () => {
    for (const token of [
      await localToken({}),
      await provider.sign({ sub: 'x', scope: 'user/*.rs', roles: ['physician'] }),
      await platform.token('system/Patient.rs'),
    ]) {
      const response = await platform.fetch('/fhir/Patient?_count=1', { token });
      assert.equal(response.status, 200, await response.text());
    }
  });

  test('alg none, with and without a trailing signature part', async () => {
    const [, payload] = (await localToken({})).split('.');
    const header = encode({ alg: 'none', typ: 'JWT' });
    assert.match(await assertRefused(`${header}.${payload}.`), /algorithm|refused/);
    await assertRefused(`${header}.${payload}`);
    await assertRefused(`${encode({ alg: 'NONE' })}.${payload}.`);
  });

  test('HS/RS key confusion: HS256 signed with the provider public key as the HMAC secret', async () => {
    const pem = await exportSPKI(
      (await importJWK(provider.publicJwk, 'RS256', { extractable: true })) as CryptoKey,
    );
    for (const secret of [pem, JSON.stringify(provider.publicJwk), provider.publicJwk.n!]) {
      const asProvider = await new SignJWT({ sub: 'mallory', scope: 'user/*.cruds' })
        .setProtectedHeader({ alg: 'HS256', kid: provider.publicJwk.kid! })
        .setIssuer(provider.issuer)
        .setAudience(provider.audience)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      assert.match(await assertRefused(asProvider), /algorithm/);
      const asLocal = await systemTokenSignedWith({ subject: 'mallory', secret });
      assert.match(await assertRefused(asLocal), /signature/);
    }
  });

  /** A platform-shaped system token (HS256, this platform's issuer and audience) signed with `secret`. */
  const systemTokenSignedWith = (options: { subject: string; secret: string }) =>
    new SignJWT({ kind: 'system', scope: 'system/*.cruds' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(options.subject)
      .setIssuer(platform.url)
      .setAudience(`${platform.url}/fhir`)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(options.secret));

  test('wrong issuer and wrong audience, signed with the real key', async () => {
    assert.match(await assertRefused(await localToken({}, 'https://evil.example')), /iss/);
    assert.match(
      await assertRefused(await localToken({}, platform.url, 'https://other.example/fhir')),
      /aud/,
    );
    assert.match(await assertRefused(await provider.sign({ sub: 'x' }, { audience: 'other-api' })), /aud/);
  });

  test('expired, local and external', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    assert.match(await assertRefused(await localToken({ exp: past })), /expired/);
    assert.match(await assertRefused(await provider.sign({ sub: 'x' }, { expiresIn: past })), /expired/);
  });

  test('modified scopes: payload edited, signature kept', async () => {
    const [header, payload, signature] = (await platform.token('system/Patient.rs')).split('.');
    const widened = encode({ ...decode(payload!), scope: 'system/*.cruds', roles: ['admin'] });
    assert.match(await assertRefused(`${header}.${widened}.${signature}`), /signature/);
    const external = (await provider.sign({ sub: 'x', scope: 'user/Patient.rs' })).split('.');
    const externalWidened = encode({ ...decode(external[1]!), scope: 'user/*.cruds' });
    await assertRefused(`${external[0]}.${externalWidened}.${external[2]}`);
  });

  test('signature stripped or from another secret', async () => {
    const [header, payload] = (await localToken({})).split('.');
    await assertRefused(`${header}.${payload}.`);
    await assertRefused(`${header}.${payload}`);
    const otherKey = await systemTokenSignedWith({ subject: 'test-admin', secret: 'not-the-secret' });
    await assertRefused(otherKey);
    await assertRefused('not.a.jwt');
  });

  test('a user token without a session, or with a made-up one, even signed with the real key', async () => {
    assert.match(await assertRefused(await localToken({ kind: 'user' })), /without a session/);
    assert.match(await assertRefused(await localToken({ kind: 'user', sid: 'made-up' })), /session ended/);
  });

  test('revoked session: the token of a signed-out user', async () => {
    const token = await loginToken(platform, 'tamper@test.clinic');
    assert.equal((await platform.fetch('/auth/logout', { method: 'POST', token })).status, 204);
    assert.match(await assertRefused(token), /session ended/);
  });

  test('reused refresh token: refused at the token endpoint, audited, and the grant is dead', async () => {
    const staff = await loginToken(platform, 'tamper@test.clinic');
    const app = await addApp(platform);
    const launched = await launchApp(platform, { staffToken: staff, app });
    const refresh = (token: string) =>
      tokenRequest(platform, { grant_type: 'refresh_token', refresh_token: token, client_id: app.clientId });
    const rotated = await refresh(launched.refreshToken!);
    assert.equal(rotated.status, 200);
    const reusesBefore = await auditCount(platform, 'refresh-token-reuse');
    const reuse = await refresh(launched.refreshToken!);
    // RFC 6749 §5.2: the token endpoint answers invalid_grant with 400, not 401.
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.equal(await auditCount(platform, 'refresh-token-reuse'), reusesBefore + 1);
    assert.match(await assertRefused(rotated.body.access_token!), /session ended/);
    assert.match(await assertRefused(launched.accessToken), /session ended/);
  });
});
