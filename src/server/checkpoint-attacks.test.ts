import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { seedAttackFixture, type AttackFixture } from './testing/attack-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const GOLDEN = { system: 'https://throughline.dev/fhir/CodeSystem/identity', code: 'golden' };

/**
 * The paths an outside probe found around the checkpoint (issue 12), each tried as the
 * attacker would: a patient widening her own access, conditional operations, Bundles,
 * chains and `_has`, and writes of what the writer cannot see.
 */
describeEachBackend('attacks on the checkpoint', (backend) => {
  let platform: TestPlatform;
  let fixture: AttackFixture;
  const ids = () => fixture.ids;
  const as = (who: string, path: string, init: RequestInit = {}) =>
    platform.fetch(path, {
      ...init,
      token: fixture.tokens[who],
      headers: { 'content-type': 'application/fhir+json', ...(init.headers as Record<string, string>) },
    });
  const json = async <T = Bundle>(response: Response): Promise<T> => (await response.json()) as T;
  const idsIn = (bundle: Bundle): string[] =>
    (bundle.entry ?? []).flatMap((entry) => {
      const resource = entry.resource;
      if (resource?.resourceType === 'Bundle') return idsIn(resource as Bundle);
      return resource?.id ? [resource.id] : [];
    });
  const mayaRecord = async () => json<Patient>(await as('maya', `/fhir/Patient/${ids().maya}`));

  before(async () => {
    platform = await startTestPlatform(backend);
    fixture = await seedAttackFixture(platform);
    await platform.worker.drain();
  });
  after(() => platform.stop());

  test('a patient cannot write identity links, tags, labels, active or identifiers on her record', async () => {
    const own = await mayaRecord();
    const victimLink = { other: { reference: `Patient/${ids().victim}` }, type: 'seealso' };
    const attempts: [string, Partial<Patient>][] = [
      ['link', { link: [victimLink as never] }],
      ['meta.tag', { meta: { tag: [GOLDEN] } }],
      ['meta.security', { meta: { security: [{ system: 'urn:x', code: 'y' }] } }],
      ['active', { active: false }],
      ['identifier', { identifier: [{ system: 'urn:mrn', value: 'someone-else' }] }],
    ];
    for (const [element, change] of attempts) {
      const response = await as('maya', `/fhir/Patient/${ids().maya}`, {
        method: 'PUT',
        body: JSON.stringify({ ...own, ...change }),
      });
      assert.equal(response.status, 403, `${element}: ${await response.clone().text()}`);
      assert.match(await response.text(), new RegExp(`Patient\\.${element.replace('.', '\\.')}`));
    }
    // A form that sends only what it edits keeps what it may not change.
    const { identifier: _identifier, ...edited } = {
      ...own,
      telecom: [{ system: 'phone', value: '+15550100' }],
    };
    const saved = await as('maya', `/fhir/Patient/${ids().maya}`, {
      method: 'PUT',
      body: JSON.stringify(edited),
    });
    assert.equal(saved.status, 200, await saved.clone().text());
    assert.deepEqual((await json<Patient>(saved)).identifier, own.identifier);
  });

  test('a one-sided link (written by anyone) widens nobody', async () => {
    // Staff may write links, but only identity's two-sided state widens a patient's access.
    const own = await mayaRecord();
    const forged = {
      ...own,
      meta: { tag: [GOLDEN] },
      link: [{ other: { reference: `Patient/${ids().victim}` }, type: 'seealso' }],
    };
    const written = await as('front-desk', `/fhir/Patient/${ids().maya}`, {
      method: 'PUT',
      body: JSON.stringify(forged),
    });
    assert.equal(written.status, 200, await written.clone().text());
    for (const path of [
      `/fhir/Observation/${ids().hiv}`,
      `/fhir/Patient/${ids().victim}/$everything`,
      `/api/patients/${ids().victim}/360`,
    ])
      assert.equal((await as('maya', path)).status, 404, path);
    const search = await json(await as('maya', `/fhir/Observation?patient=${ids().victim}`));
    assert.deepEqual(idsIn(search), []);
    const victim = await json<Patient>(await platform.fetch(`/fhir/Patient/${ids().victim}`));
    assert.notEqual(victim.active, false, 'the victim was not retired');
    await as('front-desk', `/fhir/Patient/${ids().maya}`, { method: 'PUT', body: JSON.stringify(own) });
  });

  test('conditional create answers as if the match were unseen, never with its content', async () => {
    const mine = {
      resourceType: 'Appointment',
      status: 'proposed',
      participant: [{ actor: { reference: `Patient/${ids().maya}` }, status: 'needs-action' }],
    };
    const byChain = await as('maya', '/fhir/Appointment', {
      method: 'POST',
      headers: { 'if-none-exist': 'patient.name=Victimson' },
      body: JSON.stringify(mine),
    });
    assert.ok(
      !(await byChain.clone().text()).includes(ids().appointment),
      'the victim appointment was returned',
    );
    const probes: [string, string, string][] = [
      ['nurse', 'Observation', ids().veryRestricted],
      ['physician', 'DiagnosticReport', ids().report],
    ];
    for (const [who, type, hidden] of probes) {
      const response = await as(who, `/fhir/${type}`, {
        method: 'POST',
        headers: { 'if-none-exist': `_id=${hidden}` },
        body: JSON.stringify({ resourceType: type, status: 'final', code: { text: 'probe' } }),
      });
      const text = await response.text();
      assert.ok(response.status < 500, text);
      assert.notEqual((JSON.parse(text) as Resource).id, hidden, `${who} got ${type}/${hidden}`);
    }
  });

  test('conditional update never changes what the caller cannot see', async () => {
    const response = await as('nurse', `/fhir/Observation?_id=${ids().veryRestricted}`, {
      method: 'PUT',
      body: JSON.stringify({ resourceType: 'Observation', status: 'cancelled', code: { text: 'x' } }),
    });
    assert.notEqual((await json<Resource>(response)).id, ids().veryRestricted);
    const stored = await platform.repository.read<Resource & { status: string }>(
      'Observation',
      ids().veryRestricted,
    );
    assert.equal(stored.status, 'final');
  });

  test('GETs inside batch and transaction Bundles are the caller’s own scoped calls', async () => {
    for (const type of ['batch', 'transaction']) {
      const bundle = {
        resourceType: 'Bundle',
        type,
        entry: [
          { request: { method: 'GET', url: `Observation?patient=${ids().victim}` } },
          { request: { method: 'GET', url: `Patient/${ids().victim}/$everything` } },
          { request: { method: 'GET', url: `DiagnosticReport/${ids().report}` } },
          { request: { method: 'GET', url: `Observation/${ids().veryRestricted}` } },
        ],
      };
      const doctor = await json(
        await as('physician', '/fhir', { method: 'POST', body: JSON.stringify(bundle) }),
      );
      const shown = idsIn(doctor);
      assert.ok(shown.includes(ids().hiv), `${type}: the physician sees what she may (${shown})`);
      for (const hidden of [ids().veryRestricted, ids().report])
        assert.ok(!shown.includes(hidden), `${type}: physician saw ${hidden}`);
      assert.deepEqual(
        doctor.entry?.slice(2).map((entry) => entry.response?.status),
        ['404', '404'],
      );
      const nurse = await json(await as('nurse', '/fhir', { method: 'POST', body: JSON.stringify(bundle) }));
      assert.equal(
        nurse.entry?.[0]?.response?.status,
        '200 OK',
        `${type}: the nurse may search Observations`,
      );
      assert.ok(!idsIn(nurse).includes(ids().hiv), `${type}: the nurse saw the HIV result`);
    }
  });

  test('_has and chains: only types the caller may search, and only rows they may see', async () => {
    const frontDesk = [
      '/fhir/Patient?_has:Condition:subject:code=dx-plain',
      '/fhir/Encounter?reason-reference:Condition.code=dx-plain',
    ];
    for (const path of frontDesk) assert.equal((await as('front-desk', path)).status, 403, path);
    const maya = await json(await as('maya', '/fhir/Practitioner?_has:Observation:performer:code=7918-6'));
    assert.deepEqual(idsIn(maya), [], 'a patient learned who performed someone else’s HIV test');
    const nurse = await json(await as('nurse', '/fhir/Patient?_has:Observation:subject:code=7918-6'));
    assert.deepEqual(idsIn(nurse), [], 'a nurse listed patients by an HIV result');
    const doctor = await json(await as('physician', '/fhir/Patient?_has:Observation:subject:code=vr-1'));
    assert.deepEqual(idsIn(doctor), [], 'a physician listed patients by a very-restricted result');
    const allowed = await json(await as('physician', '/fhir/Patient?_has:Observation:subject:code=7918-6'));
    assert.deepEqual(idsIn(allowed), [ids().victim], 'what the caller may see still matches');
  });

  test('search links show what the caller asked for, not the checkpoint’s filters', async () => {
    const nurse = await json(await as('nurse', `/fhir/Observation?patient=${ids().victim}&_count=1`));
    const maya = await json(await as('maya', '/fhir/Patient?_count=1'));
    for (const bundle of [nurse, maya])
      for (const link of bundle.link ?? []) assert.doesNotMatch(link.url ?? '', /_security|_id=/, link.url);
    assert.deepEqual(idsIn(maya), [ids().maya]);
    assert.ok(idsIn(nurse).every((id) => id !== ids().hiv && id !== ids().veryRestricted));
  });

  test('no search by an element the caller sees masked', async () => {
    const masked = await as('front-desk', '/fhir/Encounter?reason-code=dx-plain');
    assert.equal(masked.status, 403, await masked.clone().text());
    const plain = await as('front-desk', `/fhir/Encounter?subject=Patient/${ids().victim}`);
    assert.deepEqual(idsIn(await json(plain)), [ids().encounter]);
  });

  test('writes: what reads as not found cannot be updated or deleted, nor can labels be dropped', async () => {
    const overwrite = await as('nurse', `/fhir/Condition/${ids().psy}`, {
      method: 'PUT',
      body: JSON.stringify({
        resourceType: 'Condition',
        id: ids().psy,
        subject: { reference: `Patient/${ids().victim}` },
      }),
    });
    assert.equal(overwrite.status, 404);
    assert.equal(
      (await as('physician', `/fhir/Observation/${ids().veryRestricted}`, { method: 'DELETE' })).status,
      404,
    );
    const still = await platform.repository.read('Condition', ids().psy);
    assert.deepEqual(
      still.meta?.security?.map((label) => label.code),
      ['PSY'],
    );
    await platform.repository.read('Observation', ids().veryRestricted);
  });

  test('a patient cannot write into another patient’s compartment', async () => {
    const me = { reference: `Patient/${ids().maya}` };
    const victim = { reference: `Patient/${ids().victim}` };
    const writes = [
      { resourceType: 'Communication', status: 'completed', subject: me, recipient: [victim] },
      {
        resourceType: 'Appointment',
        status: 'proposed',
        participant: [
          { actor: me, status: 'needs-action' },
          { actor: victim, status: 'needs-action' },
        ],
      },
    ];
    for (const resource of writes) {
      const response = await as('maya', `/fhir/${resource.resourceType}`, {
        method: 'POST',
        body: JSON.stringify(resource),
      });
      assert.ok(!response.ok, `${resource.resourceType}: ${response.status}`);
    }
  });

  test('type-level history shows a patient no one else’s deletions', async () => {
    const doomed = await platform.create({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: `Patient/${ids().victim}` },
    } as Resource);
    assert.equal((await platform.fetch(`/fhir/Observation/${doomed}`, { method: 'DELETE' })).status, 204);
    const history = await as('maya', '/fhir/Observation/_history');
    assert.ok(!(await history.text()).includes(doomed));
  });
});
