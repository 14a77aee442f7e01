import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { upsertClient } from '../access/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * An independent SMART Backend Services client: it makes its own key pair and signs its own
 * assertion with node:crypto (no JWT library), as the spec describes, then asks for a token.
 */
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

interface Signer {
  alg: 'ES384' | 'RS384';
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

function newSigner(alg: Signer['alg']): Signer {
  const pair =
    alg === 'ES384'
      ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  return { alg, privateKey: pair.privateKey, jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg } };
}

function signJwt(signer: Signer, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ alg: signer.alg, typ: 'JWT', kid: signer.jwk.kid }));
  const input = `${header}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha384', Buffer.from(input), {
    key: signer.privateKey,
    ...(signer.alg === 'ES384' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  });
  return `${input}.${base64url(signature)}`;
}

describeEachBackend('SMART Backend Services: signed client assertions', (backend) => {
  let platform: TestPlatform;
  const es = newSigner('ES384');
  const rs = newSigner('RS384');
  const stranger = newSigner('ES384');
  const claimsFor = (clientId: string, extra: Record<string, unknown> = {}) => ({
    iss: clientId,
    sub: clientId,
    aud: `${platform.url}/oauth2/token`,
    exp: Math.floor(Date.now() / 1000) + 240,
    jti: randomUUID(),
    ...extra,
  });
  const askToken = (assertion: string, type = JWT_BEARER) =>
    fetch(`${platform.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'system/*.rs',
        client_assertion_type: type,
        client_assertion: assertion,
      }),
    });
  const register = (clientId: string, keys: Record<string, unknown>[] | undefined) =>
    upsertClient(platform.db, {
      clientId,
      secret: `${clientId}-secret`,
      name: clientId,
      roles: ['integration'],
      scopes: ['system/*.rs'],
      ...(keys ? { jwks: { keys } } : {}),
    });

  before(async () => {
    // Every refusal below counts against the client's attempts a minute: room for all of them.
    platform = await startTestPlatform(backend, {
      AUTH_RATE_LIMIT_PER_ACCOUNT: '100',
      // The admin client (test-admin) registered with the RS384 key from configuration.
      ADMIN_CLIENT_JWKS: JSON.stringify({ keys: [rs.jwk] }),
    });
    await register('warehouse-es', [es.jwk]);
    await register('warehouse-rs', [rs.jwk]);
    await register('secret-only', undefined);
  });
  after(() => platform.stop());

  test('an ES384 and an RS384 assertion each get a token that exports; the same jti again is refused', async () => {
    for (const [clientId, signer] of [
      ['warehouse-es', es],
      ['warehouse-rs', rs],
      ['test-admin', rs],
    ] as const) {
      const assertion = signJwt(signer, claimsFor(clientId));
      const answer = await askToken(assertion);
      assert.equal(answer.status, 200, await answer.clone().text());
      const { access_token: token, scope } = (await answer.json()) as { access_token: string; scope: string };
      assert.equal(scope, 'system/*.rs');
      const kick = await fetch(`${platform.url}/fhir/$export?_type=Patient`, {
        headers: { authorization: `Bearer ${token}`, prefer: 'respond-async' },
      });
      assert.equal(kick.status, 202, clientId);
      const replay = await askToken(assertion);
      assert.equal(replay.status, 401);
      assert.equal(((await replay.json()) as { error: string }).error, 'invalid_client');
    }
  });

  test('refused: another key, another audience, too long a life, HMAC, iss ≠ sub, no key set, wrong type', async () => {
    const refused: [string, string, string?][] = [
      ['signed by a key not registered', signJwt(stranger, claimsFor('warehouse-es'))],
      [
        'for another token endpoint',
        signJwt(es, claimsFor('warehouse-es', { aud: 'https://other.example/token' })),
      ],
      [
        'expiring in ten minutes',
        signJwt(es, claimsFor('warehouse-es', { exp: Math.floor(Date.now() / 1000) + 600 })),
      ],
      [
        'already expired',
        signJwt(es, claimsFor('warehouse-es', { exp: Math.floor(Date.now() / 1000) - 60 })),
      ],
      ['iss and sub differ', signJwt(es, claimsFor('warehouse-es', { sub: 'warehouse-rs' }))],
      ['a client without a key set', signJwt(es, claimsFor('secret-only'))],
      ['not a JWT', 'not-a-jwt'],
      ['another assertion type', signJwt(es, claimsFor('warehouse-es')), 'urn:example:saml'],
    ];
    const header = base64url(JSON.stringify({ alg: 'HS384', typ: 'JWT' }));
    const body = base64url(JSON.stringify(claimsFor('warehouse-es')));
    const mac = createHmac('sha384', JSON.stringify(es.jwk)).update(`${header}.${body}`).digest();
    refused.push(['HMAC with the public key as secret', `${header}.${body}.${base64url(mac)}`]);
    for (const [why, assertion, type] of refused) {
      const answer = await askToken(assertion, type);
      assert.equal(answer.status, 401, why);
      assert.equal(((await answer.json()) as { error: string }).error, 'invalid_client', why);
    }
    const failures = await platform.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM audit_log WHERE action = 'token' AND outcome = 'failure'`,
    );
    assert.ok(Number(failures.rows[0]!.n) >= refused.length);
  });

  test('a private key is not registered; discovery names private_key_jwt with RS384 and ES384', async () => {
    const privateJwk = es.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
    await assert.rejects(register('leaky', [privateJwk]), /private key/);
    const smart = (await (await fetch(`${platform.url}/.well-known/smart-configuration`)).json()) as Record<
      string,
      string[]
    >;
    assert.ok(smart.token_endpoint_auth_methods_supported!.includes('private_key_jwt'));
    assert.deepEqual(smart.token_endpoint_auth_signing_alg_values_supported, ['RS384', 'ES384']);
    assert.ok(smart.capabilities!.includes('client-confidential-asymmetric'));
  });

  test('a client registered with a jwks_uri: its published keys sign; a key it does not publish, or a set that cannot be fetched, is invalid_client', async () => {
    const published = newSigner('ES384');
    let answerWith: 'keys' | 'error' = 'keys';
    const jwksServer = createServer((_request, response) => {
      if (answerWith === 'error') return void response.writeHead(500).end();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [published.jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const port = (jwksServer.address() as AddressInfo).port;
    try {
      const register = (clientId: string, jwksUri: string) =>
        upsertClient(platform.db, {
          clientId,
          secret: 's',
          name: clientId,
          roles: ['integration'],
          scopes: ['system/*.rs'],
          jwksUri,
        });
      await register('warehouse-uri', `http://127.0.0.1:${port}/jwks.json`);
      const accepted = await askToken(signJwt(published, claimsFor('warehouse-uri')));
      assert.equal(accepted.status, 200, await accepted.clone().text());
      const notPublished = await askToken(signJwt(stranger, claimsFor('warehouse-uri')));
      assert.equal(notPublished.status, 401);

      await register('warehouse-down', `http://127.0.0.1:${port}/other.json`);
      answerWith = 'error';
      const down = await askToken(signJwt(published, claimsFor('warehouse-down')));
      assert.equal(down.status, 401);
      assert.equal(((await down.json()) as { error: string }).error, 'invalid_client');

      await assert.rejects(register('remote-http', 'http://keys.example/jwks.json'), /https/);
    } finally {
      jwksServer.close();
    }
  });
});
