import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT } from 'jose';
import { describeEachBackend } from '../store/testing/backends.ts';
import { auditCount } from './testing/auth-flows.ts';
import { oidcPlatformPerSuite } from './testing/oidc-provider.ts';

describeEachBackend('tokens of an external OpenID Connect provider', (backend) => {
  const { platform, provider } = oidcPlatformPerSuite(backend, { OIDC_ROLES_CLAIM: 'realm_access.roles' });

  const readPatients = (token: string) => platform.fetch('/fhir/Patient?_count=1', { token });
  const alice = { sub: 'alice', name: 'Alice Nurse', scope: 'user/*.rs', realm_access: { roles: ['nurse'] } };

  test('a token signed by the provider, for our audience, is accepted as its user', async () => {
    const response = await readPatients(await provider.sign(alice));
    assert.equal(response.status, 200, await response.clone().text());
    const audit = await platform.db.query<{ principal: string; principal_kind: string }>(
      `SELECT principal, principal_kind FROM audit_log WHERE principal = 'oidc:alice' LIMIT 1`,
    );
    assert.equal(audit.rows[0]?.principal_kind, 'user');
    assert.ok(provider.fetches() >= 1, 'the JWKS came over HTTP');
  });

  test('the provider scopes bound what the user may do', async () => {
    const token = await provider.sign({ ...alice, scope: 'user/Patient.rs' });
    assert.equal((await platform.fetch('/fhir/Observation?_count=1', { token })).status, 403);
  });

  test('wrong audience, expired, unknown key and a foreign signer are refused and audited', async () => {
    const stranger = await generateKeyPair('RS256');
    const forged = await new SignJWT(alice)
      .setProtectedHeader({ alg: 'RS256', kid: provider.publicJwk.kid! })
      .setIssuer(provider.issuer)
      .setAudience(provider.audience)
      .setExpirationTime('5m')
      .sign(stranger.privateKey);
    const refused = [
      await provider.sign(alice, { audience: 'some-other-api' }),
      await provider.sign(alice, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      await provider.sign(alice, { kid: 'unknown-key' }),
      forged,
    ];
    for (const token of refused) {
      const before = await auditCount(platform, 'auth-rejected');
      assert.equal((await readPatients(token)).status, 401);
      assert.equal(await auditCount(platform, 'auth-rejected'), before + 1);
    }
  });
});
