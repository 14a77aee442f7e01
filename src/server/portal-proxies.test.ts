import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../store/testing/backends.ts';
import { grantFor, seedProxyFixture, type ProxyFixture } from './testing/proxy-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import type { Dependant } from './portal-proxies.ts';

interface Me {
  you: { patient: string; name: string };
  actingFor?: string;
  people: Dependant[];
}

/**
 * The portal's side of proxy access (issue 20): the person switcher's list, what a caregiver
 * may do on the portal's own routes for her dependant, and the dependant ending the grant.
 */
describeEachBackend('portal proxies: whom she acts for, and ending a grant', (backend) => {
  let platform: TestPlatform;
  let f: ProxyFixture;
  let grant = '';
  before(async () => {
    platform = await startTestPlatform(backend);
    f = await seedProxyFixture(platform);
    const until = '2099-01-01T00:00:00Z';
    grant = await platform.create(
      grantFor({ patient: f.ada, account: f.mayaAccount, scope: ['record'], end: until }),
    );
  });
  after(() => platform.stop());

  const call = (path: string, init: { token: string; actingFor?: string; method?: string; body?: unknown }) =>
    platform.fetch(path, {
      method: init.method ?? 'GET',
      token: init.token,
      headers: {
        ...(init.actingFor ? { 'x-acting-for': init.actingFor } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  test('/api/portal/me lists her and the people she may act for, named as what they are to her', async () => {
    const me = (await (await call('/api/portal/me', { token: f.tokens.maya })).json()) as Me;
    assert.equal(me.you.patient, f.maya);
    assert.deepEqual(me.people, [
      {
        patient: f.ada,
        name: 'Ada Okafor',
        grant: `RelatedPerson/${grant}`,
        relation: 'your child',
        scope: ['record'],
        until: '2099-01-01T00:00:00Z',
      },
    ]);
    const acting = (await (
      await call('/api/portal/me', { token: f.tokens.maya, actingFor: f.ada })
    ).json()) as Me;
    assert.equal(acting.actingFor, f.ada);
    const ada = (await (await call('/api/portal/me', { token: f.tokens.ada })).json()) as Me;
    assert.deepEqual(ada.people, []);
  });

  test('acting for Ada: her consent, access log and proxies are hers alone; booking needs its scope', async () => {
    const asProxy = { token: f.tokens.maya, actingFor: f.ada };
    for (const path of ['/api/portal/consents', '/api/portal/access-log', '/api/portal/proxies'])
      assert.equal((await call(path, asProxy)).status, 403, path);
    const revoke = await call(`/api/portal/proxies/${grant}/revoke`, {
      ...asProxy,
      method: 'POST',
      body: {},
    });
    assert.equal(revoke.status, 403);
    const book = await call('/api/portal/appointments', {
      ...asProxy,
      method: 'POST',
      body: { schedule: 'x', start: 'y' },
    });
    assert.equal(book.status, 403, 'a record-only grant does not book');
    assert.equal((await call('/api/portal/forms', asProxy)).status, 200);
  });

  test('Ada lists who may act for her and sees Maya in who saw her record, as her proxy', async () => {
    await call(`/fhir/Observation?patient=${f.ada}`, { token: f.tokens.maya, actingFor: f.ada });
    const listed = (await (await call('/api/portal/proxies', { token: f.tokens.ada })).json()) as {
      proxies: { grant: string; name: string; relationship: string; live: boolean }[];
    };
    assert.deepEqual(
      listed.proxies.map(({ grant: id, name, relationship, live }) => ({ id, name, relationship, live })),
      [{ id: grant, name: 'Maya Okafor', relationship: 'mother', live: true }],
    );
    const log = (await (await call('/api/portal/access-log', { token: f.tokens.ada })).json()) as {
      accesses: { who: string; role: string }[];
    };
    assert.ok(
      log.accesses.some((access) => access.role === 'Proxy or caregiver' && access.who.startsWith('patient')),
    );
  });

  test('Ada ends the grant: Maya’s next call for her is refused; a stranger cannot end it', async () => {
    const stranger = await call(`/api/portal/proxies/${grant}/revoke`, {
      token: f.tokens.maya,
      method: 'POST',
      body: {},
    });
    assert.equal(stranger.status, 404, 'Maya as herself does not see Ada’s grant');
    const ended = await call(`/api/portal/proxies/${grant}/revoke`, {
      token: f.tokens.ada,
      method: 'POST',
      body: {},
    });
    assert.equal(ended.status, 200);
    assert.equal(((await ended.json()) as { active: boolean }).active, false);
    assert.equal(
      (await call(`/fhir/Patient/${f.ada}`, { token: f.tokens.maya, actingFor: f.ada })).status,
      403,
    );
    const me = (await (await call('/api/portal/me', { token: f.tokens.maya })).json()) as Me;
    assert.deepEqual(me.people, []);
  });
});
