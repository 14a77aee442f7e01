import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'fhir-kit-client';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * The done-when of the platform issue: an independent FHIR client library (fhir-kit-client,
 * not our code) drives the real HTTP API through create, read, update with If-Match, search
 * with paging, transaction, history and $everything.
 */
describeEachBackend('FHIR API through fhir-kit-client', (backend) => {
  let platform: TestPlatform;
  let client: Client;
  before(async () => {
    platform = await startTestPlatform(backend);
    client = new Client({ baseUrl: `${platform.url}/fhir`, bearerToken: await platform.token() });
  });
  after(() => platform.stop());

  test('create, read, update with If-Match, stale update refused', async () => {
    const created = (await client.create({
      resourceType: 'Patient',
      body: { resourceType: 'Patient', name: [{ given: ['Maya'], family: 'Kit' }] },
    })) as Patient;
    assert.equal(created.meta?.versionId, '1');
    const read = (await client.read({ resourceType: 'Patient', id: created.id! })) as Patient;
    assert.deepEqual(read, created);
    const updated = (await client.update({
      resourceType: 'Patient',
      id: created.id!,
      body: { ...read, birthDate: '1988-04-12' },
      options: { headers: { 'If-Match': 'W/"1"' } },
    })) as Patient;
    assert.equal(updated.meta?.versionId, '2');
    await assert.rejects(
      client.update({
        resourceType: 'Patient',
        id: created.id!,
        body: { ...read, gender: 'male' },
        options: { headers: { 'If-Match': 'W/"1"' } },
      }),
      (error: { response?: { status: number } }) => error.response?.status === 412,
    );
    const history = (await client.history({ resourceType: 'Patient', id: created.id! })) as unknown as Bundle;
    assert.deepEqual(
      history.entry?.map((entry) => entry.resource?.meta?.versionId),
      ['2', '1'],
    );
  });

  test('transaction, then search with paging through next links, then $everything', async () => {
    const fullUrl = 'urn:uuid:2b0f4f8e-8f0e-4c55-9d1a-7b3a8a0c0001';
    const labs = Array.from({ length: 5 }, (_, n) => ({
      resource: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'HbA1c' }] },
        subject: { reference: fullUrl },
        effectiveDateTime: `2026-0${n + 1}-15`,
        valueQuantity: { value: 6 + n / 10, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
      },
      request: { method: 'POST', url: 'Observation' },
    }));
    const response = (await client.transaction({
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl,
            resource: { resourceType: 'Patient', name: [{ family: 'Paging' }] },
            request: { method: 'POST', url: 'Patient' },
          },
          ...labs,
        ],
      },
    })) as unknown as Bundle;
    const patientId = response.entry![0]!.resource!.id!;
    const seen: string[] = [];
    let page = (await client.search({
      resourceType: 'Observation',
      searchParams: { subject: `Patient/${patientId}`, _sort: '-date', _count: 2 },
    })) as unknown as Bundle;
    for (;;) {
      seen.push(...(page.entry ?? []).map((entry) => (entry.resource as Observation).effectiveDateTime!));
      const next = client.nextPage({ bundle: page as never });
      if (!next) break;
      page = (await next) as unknown as Bundle;
    }
    assert.deepEqual(seen, ['2026-05-15', '2026-04-15', '2026-03-15', '2026-02-15', '2026-01-15']);
    const everything = (await client.operation({
      name: '$everything',
      resourceType: 'Patient',
      id: patientId,
      method: 'GET',
    })) as unknown as Bundle;
    // The journey engine may already have given her an EpisodeOfCare: count what this test wrote.
    const written = everything.entry?.filter((entry) => entry.resource?.resourceType !== 'EpisodeOfCare');
    assert.equal(written?.length, 6);
  });
});
