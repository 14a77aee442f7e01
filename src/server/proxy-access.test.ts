import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, RelatedPerson } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { grantFor, proxyPlatformPerSuite } from './testing/proxy-fixture.ts';

/**
 * Caregiver (proxy) access, tried as an attacker (issue 20): Maya has a portal account of her
 * own; Ada's record holds plain, labelled (HIV, PSY) and consent-hidden data; Vera is a third
 * patient. Maya reaches Ada only through a live grant staff wrote, within its scope, never
 * Ada's labelled or consent-hidden data, never Vera, and cannot grant herself anything.
 */
describeEachBackend('proxy access: a caregiver acting for a dependant', (backend) => {
  const suite = proxyPlatformPerSuite(backend);

  const asMaya = (path: string, actingFor?: string, init: RequestInit = {}) =>
    suite.platform.fetch(path, {
      ...init,
      token: suite.f.tokens.maya,
      headers: actingFor ? { 'x-acting-for': `Patient/${actingFor}` } : {},
    });
  const ids = async (response: Response) =>
    ((await response.json()) as Bundle).entry?.map((entry) => entry.resource?.id) ?? [];
  const post = (resource: object, token: string) =>
    suite.platform.fetch(`/fhir/${(resource as { resourceType: string }).resourceType}`, {
      method: 'POST',
      token,
      body: JSON.stringify(resource),
    });

  test('without a grant: nothing of Ada, acting for her or not', async () => {
    assert.equal((await asMaya(`/fhir/Observation?patient=${suite.f.ada}`, suite.f.ada)).status, 403);
    assert.equal((await asMaya(`/fhir/Patient/${suite.f.ada}`, suite.f.ada)).status, 403);
    assert.equal((await asMaya(`/fhir/Observation/${suite.f.adaData.observation}`)).status, 404);
    const rows = await suite.platform.db.query<{ detail: string }>(
      `SELECT detail FROM audit_log WHERE principal = $1 AND action = 'proxy-refused'`,
      [suite.f.mayaAccount],
    );
    assert.ok(rows.rows.some((row) => row.detail === `no live grant for Patient/${suite.f.ada}`));
  });

  test('she cannot grant herself: a RelatedPerson naming her is refused, and opens nothing', async () => {
    const selfGrant = grantFor({ patient: suite.f.vera, account: suite.f.mayaAccount, scope: ['record'] });
    assert.equal((await post(selfGrant, suite.f.tokens.maya)).status, 403);
    // Staff without `proxy-grants` (a nurse) may write next of kin, but not a grant.
    assert.equal((await post(selfGrant, suite.f.tokens.nurse)).status, 403);
    const { identifier, ...kin } = selfGrant;
    const written = await post(kin, suite.f.tokens.nurse);
    assert.equal(written.status, 201);
    const stored = (await written.json()) as RelatedPerson;
    const widened = { ...stored, identifier };
    const update = await suite.platform.fetch(`/fhir/RelatedPerson/${stored.id}`, {
      method: 'PUT',
      token: suite.f.tokens.nurse,
      body: JSON.stringify(widened),
    });
    assert.equal(update.status, 403, 'a nurse cannot turn next of kin into a grant');
    // A grant hidden inside what she may write (a contained RelatedPerson in her message).
    const message = {
      resourceType: 'Communication',
      status: 'completed',
      contained: [{ ...selfGrant, id: 'g' }],
      subject: { reference: `Patient/${suite.f.maya}` },
      sender: { reference: `Patient/${suite.f.maya}` },
      payload: [{ contentString: 'hello' }],
    };
    // Not through the audit-coverage fetch: it would count the contained resource's `patient`
    // as Vera's data in the answer, while it is only what Maya wrote.
    const sent = await fetch(`${suite.platform.url}/fhir/Communication`, {
      method: 'POST',
      headers: { authorization: `Bearer ${suite.f.tokens.maya}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(message),
    });
    assert.equal(sent.status, 201);
    assert.equal((await asMaya(`/fhir/Observation?patient=${suite.f.vera}`, suite.f.vera)).status, 403);
    assert.equal((await asMaya(`/fhir/Patient/${suite.f.vera}`, suite.f.vera)).status, 403);
  });

  test('with a live grant: what its scope allows of Ada, never labelled, consent-hidden or Vera', async () => {
    const grant = await post(
      grantFor({
        patient: suite.f.ada,
        account: suite.f.mayaAccount,
        scope: ['record'],
        end: '2099-01-01T00:00:00Z',
      }),
      suite.f.tokens.frontDesk,
    );
    assert.equal(grant.status, 201, 'the front desk may grant (proxy-grants)');
    const seen = await ids(await asMaya(`/fhir/Observation?patient=${suite.f.ada}`, suite.f.ada));
    assert.deepEqual(seen, [suite.f.adaData.observation]);
    assert.equal((await asMaya(`/fhir/Observation/${suite.f.adaData.hiv}`, suite.f.ada)).status, 404);
    assert.equal((await asMaya(`/fhir/Condition/${suite.f.adaData.psy}`, suite.f.ada)).status, 404);
    assert.equal(
      (await asMaya(`/fhir/AllergyIntolerance/${suite.f.adaData.hiddenAllergy}`, suite.f.ada)).status,
      404,
    );
    const everything = await ids(await asMaya(`/fhir/Patient/${suite.f.ada}/$everything`, suite.f.ada));
    assert.ok(everything.includes(suite.f.adaData.observation));
    for (const hidden of [suite.f.adaData.hiv, suite.f.adaData.psy, suite.f.adaData.hiddenAllergy])
      assert.ok(!everything.includes(hidden), `$everything leaks ${hidden}`);
    // Acting for Ada she is limited to Ada: not Vera, not even herself.
    assert.equal((await asMaya(`/fhir/Observation/${suite.f.veraObservation}`, suite.f.ada)).status, 404);
    assert.deepEqual(await ids(await asMaya(`/fhir/Observation?patient=${suite.f.vera}`, suite.f.ada)), []);
    assert.equal((await asMaya(`/fhir/Patient/${suite.f.vera}`, suite.f.vera)).status, 403);
    // Reading is not writing: her scope is `record`; and a proxy never writes grants.
    const renamed = { resourceType: 'Patient', id: suite.f.ada, name: [{ family: 'Changed' }] };
    const put = await asMaya(`/fhir/Patient/${suite.f.ada}`, suite.f.ada, {
      method: 'PUT',
      body: JSON.stringify(renamed),
    });
    assert.equal(put.status, 403);
    const more = grantFor({ patient: suite.f.vera, account: suite.f.mayaAccount, scope: ['record'] });
    const widen = await asMaya('/fhir/RelatedPerson', suite.f.ada, {
      method: 'POST',
      body: JSON.stringify(more),
    });
    assert.equal(widen.status, 403);
  });

  test('audit names Maya as the agent, on behalf of Ada, through the grant', async () => {
    const response = await asMaya(`/fhir/Observation?patient=${suite.f.ada}`, suite.f.ada);
    const requestId = response.headers.get('x-request-id');
    const rows = await suite.platform.db.query<{ principal: string; patients: string[]; detail: string }>(
      'SELECT principal, patients, detail FROM audit_log WHERE request_id = $1',
      [requestId],
    );
    const row = rows.rows[0]!;
    assert.equal(row.principal, suite.f.mayaAccount);
    assert.deepEqual(row.patients, [suite.f.ada]);
    assert.match(row.detail, new RegExp(`^proxy for Patient/${suite.f.ada} \\(RelatedPerson/[^)]+\\)$`));
  });

  test('scope narrows: an appointments-only grant reads appointments, not results', async () => {
    const vera = await post(
      grantFor({ patient: suite.f.vera, account: suite.f.mayaAccount, scope: ['appointments'] }),
      suite.f.tokens.frontDesk,
    );
    assert.equal(vera.status, 201);
    assert.equal((await asMaya(`/fhir/Observation?patient=${suite.f.vera}`, suite.f.vera)).status, 403);
    assert.equal((await asMaya(`/fhir/Appointment?patient=${suite.f.vera}`, suite.f.vera)).status, 200);
    assert.equal((await asMaya(`/fhir/Patient/${suite.f.vera}`, suite.f.vera)).status, 200);
  });

  test('a message for Vera is written as her grant, never as another RelatedPerson', async () => {
    const messages = await post(
      grantFor({ patient: suite.f.vera, account: suite.f.mayaAccount, scope: ['messages'] }),
      suite.f.tokens.frontDesk,
    );
    assert.equal(messages.status, 201);
    const grants = await suite.platform.repository.search({
      resourceType: 'RelatedPerson',
      params: [['patient', `Patient/${suite.f.vera}`]],
    });
    const held = grants.entry!.map((entry) => entry.resource as RelatedPerson).filter((r) => r.identifier);
    const [own, other] = held.map((grant) => `RelatedPerson/${grant.id}`).sort();
    const message = (sender: string) =>
      JSON.stringify({
        resourceType: 'Communication',
        status: 'completed',
        subject: { reference: `Patient/${suite.f.vera}` },
        sender: { reference: sender },
        payload: [{ contentString: 'For my mother' }],
      });
    const send = (sender: string, actingFor?: string) =>
      asMaya('/fhir/Communication', actingFor, { method: 'POST', body: message(sender) });
    assert.equal((await send(own!, suite.f.vera)).status, 201, 'as her own grant');
    assert.equal((await send(other!, suite.f.vera)).status, 403, 'not as another RelatedPerson');
    assert.equal((await send(own!)).status, 404, 'not as herself: Vera is not hers (reads as not found)');
  });

  test('expired or inactive: access stops at the next call', async () => {
    const search = await suite.platform.repository.search({
      resourceType: 'RelatedPerson',
      params: [['patient', `Patient/${suite.f.ada}`]],
    });
    const grant = search
      .entry!.map((entry) => entry.resource as RelatedPerson)
      .find((r) => r.identifier?.length)!;
    const expired = { ...grant, period: { ...grant.period, end: '2020-06-01T00:00:00Z' } };
    await suite.platform.repository.update(expired);
    assert.equal((await asMaya(`/fhir/Patient/${suite.f.ada}`, suite.f.ada)).status, 403);
    await suite.platform.repository.update({
      ...expired,
      period: { start: '2020-01-01T00:00:00Z' },
      active: false,
    });
    assert.equal((await asMaya(`/fhir/Patient/${suite.f.ada}`, suite.f.ada)).status, 403);
    await suite.platform.repository.update({
      ...expired,
      period: { start: '2020-01-01T00:00:00Z' },
      active: true,
    });
    assert.equal(
      (await asMaya(`/fhir/Patient/${suite.f.ada}`, suite.f.ada)).status,
      200,
      'the same grant, live again',
    );
  });
});
