import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, CapabilityStatement, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, platformPerSuite } from './testing/test-platform.ts';

const json = async <T>(response: Response) => (await response.json()) as T;

describeEachBackend('FHIR HTTP API', (backend) => {
  const platform = platformPerSuite(backend);

  test('metadata and SMART discovery are open; everything else needs a bearer token', async () => {
    const metadata = await fetch(`${platform.url}/fhir/metadata`);
    assert.equal(metadata.status, 200);
    assert.match(metadata.headers.get('content-type') ?? '', /application\/fhir\+json/);
    const statement = await json<CapabilityStatement>(metadata);
    const patient = statement.rest?.[0]?.resource?.find((resource) => resource.type === 'Patient');
    assert.ok(patient?.searchParam?.some((param) => param.name === 'birthdate'));
    assert.ok(patient?.operation?.some((operation) => operation.name === 'everything'));
    assert.equal((await fetch(`${platform.url}/.well-known/smart-configuration`)).status, 200);
    const denied = await fetch(`${platform.url}/fhir/Patient`);
    assert.equal(denied.status, 401);
    assert.equal((await json<OperationOutcome>(denied)).resourceType, 'OperationOutcome');
    const forged = await platform.fetch('/fhir/Patient', { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    assert.equal(forged.status, 401);
  });

  test('client credentials: a wrong secret is refused; granted scopes never exceed the client', async () => {
    const bad = await fetch(`${platform.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=test-admin&client_secret=nope',
    });
    assert.equal(bad.status, 401);
    assert.equal((await json<{ error: string }>(bad)).error, 'invalid_client');
    const readOnly = await platform.token('system/Patient.rs');
    const write = await platform.fetch('/fhir/Patient', {
      method: 'POST',
      token: readOnly,
      body: JSON.stringify({ resourceType: 'Patient' }),
    });
    assert.equal(write.status, 403);
  });

  test('create, read, update with If-Match (stale → 412), delete → 410', async () => {
    const created = await platform.fetch('/fhir/Patient', {
      method: 'POST',
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Http' }] }),
    });
    assert.equal(created.status, 201);
    const patient = await json<Patient>(created);
    assert.equal(created.headers.get('etag'), 'W/"1"');
    assert.match(
      created.headers.get('location') ?? '',
      new RegExp(`/fhir/Patient/${patient.id}/_history/1$`),
    );
    const updated = await platform.fetch(`/fhir/Patient/${patient.id}`, {
      method: 'PUT',
      headers: { 'if-match': 'W/"1"' },
      body: JSON.stringify({ ...patient, gender: 'female' }),
    });
    assert.equal(updated.status, 200);
    const stale = await platform.fetch(`/fhir/Patient/${patient.id}`, {
      method: 'PUT',
      headers: { 'if-match': 'W/"1"' },
      body: JSON.stringify({ ...patient, gender: 'male' }),
    });
    assert.equal(stale.status, 412);
    assert.equal((await platform.fetch(`/fhir/Patient/${patient.id}/_history/1`)).status, 200);
    assert.equal((await platform.fetch(`/fhir/Patient/${patient.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await platform.fetch(`/fhir/Patient/${patient.id}`)).status, 410);
  });

  test('bad input: every case is an OperationOutcome with a 4xx, never a 5xx', async () => {
    const cases: [string, RequestInit, number, string?][] = [
      ['/fhir/Patient', { method: 'POST', body: '{"resourceType": "Patient",' }, 400],
      [
        '/fhir/Patient',
        { method: 'POST', body: JSON.stringify({ resourceType: 'Patient', birthDate: 'soon' }) },
        400,
        'Patient.birthDate',
      ],
      [
        '/fhir/Patient',
        { method: 'POST', body: JSON.stringify({ resourceType: 'Observation' }) },
        400,
        'resourceType',
      ],
      ['/fhir/Spaceship', {}, 404],
      ['/fhir/Spaceship', { method: 'POST', body: '{}' }, 404],
      ['/fhir/Patient/bad$id', {}, 400],
      ['/fhir/Patient/does-not-exist', {}, 404],
      ['/fhir/Patient', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }, 415],
      ['/fhir/Patient?birthdate=notadate', {}, 400, 'birthdate'],
      ['/fhir/Patient?unknown-param=1', { headers: { prefer: 'handling=strict' } }, 400, 'unknown-param'],
      ['/fhir/nothing/here/at/all/really', {}, 404],
      [
        '/fhir',
        { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type: 'collection' }) },
        400,
        'Bundle.type',
      ],
    ];
    for (const [path, init, status, expression] of cases) {
      const response = await platform.fetch(path, init);
      assert.equal(response.status, status, `${init.method ?? 'GET'} ${path}`);
      const outcome = await json<OperationOutcome>(response);
      assert.equal(outcome.resourceType, 'OperationOutcome', path);
      if (expression)
        assert.ok(
          outcome.issue.some((issue) => issue.expression?.includes(expression)),
          `${path}: ${JSON.stringify(outcome)}`,
        );
    }
  });

  test('a body over the limit is refused with 413', async () => {
    const big = await startTestPlatform(backend, { MAX_BODY_BYTES: '2048' });
    try {
      const response = await big.fetch('/fhir/Patient', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Patient',
          text: { status: 'generated', div: 'x'.repeat(5000) },
        }),
      });
      assert.equal(response.status, 413);
      assert.equal((await json<OperationOutcome>(response)).resourceType, 'OperationOutcome');
    } finally {
      await big.stop();
    }
  });

  test('transaction over HTTP is atomic; search pages; $everything and compartment search', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:6e1c8b36-1d3c-4c0a-9d7c-2f4c5c0e0a01',
          resource: { resourceType: 'Patient', name: [{ family: 'Tx' }] },
          request: { method: 'POST', url: 'Patient' },
        },
        ...[1, 2, 3].map((n) => ({
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: `n${n}` },
            subject: { reference: 'urn:uuid:6e1c8b36-1d3c-4c0a-9d7c-2f4c5c0e0a01' },
            effectiveDateTime: `2026-0${n}-01`,
          },
          request: { method: 'POST', url: 'Observation' },
        })),
      ],
    } as Bundle;
    const response = await platform.fetch('/fhir', { method: 'POST', body: JSON.stringify(bundle) });
    assert.equal(response.status, 200);
    const result = await json<Bundle>(response);
    const patientId = result.entry![0]!.resource!.id;
    const page = await json<Bundle>(
      await platform.fetch(`/fhir/Patient/${patientId}/Observation?_sort=-date&_count=2`),
    );
    assert.equal(page.entry?.length, 2);
    assert.ok(page.link?.some((link) => link.relation === 'next'));
    const everything = await json<Bundle>(await platform.fetch(`/fhir/Patient/${patientId}/$everything`));
    // The journey engine may already have given her an EpisodeOfCare: count what this test wrote.
    const written = everything.entry?.filter((entry) => entry.resource?.resourceType !== 'EpisodeOfCare');
    assert.equal(written?.length, 4);
  });

  test('malformed Basic credentials are a 401, not a 500', async () => {
    const response = await fetch(`${platform.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('a%zz:b').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 401);
  });

  test('POST _search keeps repeated parameters (AND) in order', async () => {
    await platform.fetch('/fhir/Patient', {
      method: 'POST',
      body: JSON.stringify({ resourceType: 'Patient', birthDate: '1990-06-15', name: [{ family: 'Range' }] }),
    });
    const body = 'family=Range&birthdate=ge1990-01-01&birthdate=le1990-12-31';
    const response = await platform.fetch('/fhir/Patient/_search', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const bundle = await json<Bundle>(response);
    assert.equal(bundle.entry?.length, 1);
    const none = await platform.fetch('/fhir/Patient/_search', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'family=Range&birthdate=ge1991-01-01&birthdate=le1990-12-31',
    });
    assert.equal((await json<Bundle>(none)).entry?.length ?? 0, 0);
  });

  test('every read of patient data leaves an audit record naming the patient', async () => {
    const created = await json<Patient>(
      await platform.fetch('/fhir/Patient', {
        method: 'POST',
        body: JSON.stringify({ resourceType: 'Patient' }),
      }),
    );
    await platform.fetch(`/fhir/Patient/${created.id}`);
    const rows = await platform.db.query<{ action: string; outcome: string }>(
      `SELECT action, outcome FROM audit_log WHERE $1 = ANY(patients) AND principal = 'test-admin' ORDER BY id`,
      [created.id],
    );
    assert.deepEqual(
      rows.rows.map((row) => `${row.action}:${row.outcome}`),
      ['create:success', 'read:success'],
    );
  });
});
