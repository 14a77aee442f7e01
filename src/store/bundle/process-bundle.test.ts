import { testStorePerSuite } from '../testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Observation, Organization, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../testing/backends.ts';
import type { SqlDatabase } from '../sql/database.ts';

const patientEntry = (fullUrl: string, family: string) => ({
  fullUrl,
  resource: { resourceType: 'Patient', name: [{ family }] } as Patient,
  request: { method: 'POST' as const, url: 'Patient' },
});
const observationEntry = (subject: string) => ({
  resource: {
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'LDL' },
    subject: { reference: subject },
  } as Observation,
  request: { method: 'POST' as const, url: 'Observation' },
});

async function countRows(db: SqlDatabase): Promise<string> {
  const result = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM resource');
  return result.rows[0]!.n;
}

describeEachBackend('Bundle processing', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  test('transaction resolves urn:uuid references between entries', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        observationEntry('urn:uuid:0b7c7a4e-0000-4000-8000-000000000001'),
        patientEntry('urn:uuid:0b7c7a4e-0000-4000-8000-000000000001', 'Maya'),
      ],
    };
    const response = await repo.processBundle(bundle);
    assert.equal(response.type, 'transaction-response');
    const [obsEntry, patEntry] = response.entry!;
    assert.equal(patEntry!.response?.status, '201 Created');
    const observation = obsEntry!.resource as Observation;
    assert.equal(observation.subject?.reference, `Patient/${patEntry!.resource!.id}`);
    assert.equal(obsEntry!.response?.location, `Observation/${observation.id}/_history/1`);
  });

  test('a transaction with one bad entry writes nothing and names the entry', async () => {
    const before = await countRows(db);
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        patientEntry('urn:uuid:0b7c7a4e-0000-4000-8000-000000000002', 'Fine'),
        {
          resource: { resourceType: 'Patient', birthDate: 'yesterday' } as unknown as Patient,
          request: { method: 'POST', url: 'Patient' },
        },
      ],
    };
    await assert.rejects(
      repo.processBundle(bundle),
      (error: { code: string; issues: { expression?: string }[] }) => {
        assert.equal(error.code, 'INVALID_RESOURCE');
        assert.match(error.issues[0]?.expression ?? '', /^Bundle\.entry\[1\]\.resource/);
        return true;
      },
    );
    assert.equal(await countRows(db), before);
  });

  test('an unresolvable urn:uuid reference fails the transaction', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [observationEntry('urn:uuid:0b7c7a4e-0000-4000-8000-0000000000ff')],
    };
    await assert.rejects(repo.processBundle(bundle), { code: 'INVALID_REQUEST' });
  });

  test('batch: each entry on its own; a failed entry carries an OperationOutcome', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        patientEntry('urn:uuid:0b7c7a4e-0000-4000-8000-000000000003', 'Batch'),
        { request: { method: 'GET', url: 'Patient/does-not-exist' } },
        {
          resource: { resourceType: 'Patient', id: 'batch-put' },
          request: { method: 'PUT', url: 'Patient/batch-put' },
        },
      ],
    };
    const response = await repo.processBundle(bundle);
    const statuses = response.entry!.map((entry) => entry.response?.status);
    assert.deepEqual(statuses, ['201 Created', '404', '201 Created']);
    assert.equal(response.entry![1]!.response?.outcome?.resourceType, 'OperationOutcome');
  });

  test('PUT entries with If-Match check versions inside the transaction', async () => {
    await repo.update({ resourceType: 'Patient', id: 'tx-put' });
    const stale: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { resourceType: 'Patient', id: 'tx-put', gender: 'other' },
          request: { method: 'PUT', url: 'Patient/tx-put', ifMatch: 'W/"9"' },
        },
      ],
    };
    await assert.rejects(repo.processBundle(stale), { code: 'VERSION_CONFLICT' });
  });

  test('$everything returns the patient, their compartment and what it references', async () => {
    const { resource: org } = await repo.create<Organization>({ resourceType: 'Organization', name: 'Lab' });
    const { resource: p } = await repo.create<Patient>({
      resourceType: 'Patient',
      managingOrganization: { reference: `Organization/${org.id}` },
    });
    await repo.create<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: `Patient/${p.id}` },
    });
    const everything = await repo.everything({ patientId: p.id! });
    const types = everything.entry!.map((entry) => entry.resource!.resourceType).sort();
    assert.deepEqual(types, ['Observation', 'Organization', 'Patient']);
  });
  test('keepElements: a conditional update keeps the stored link and active; without it the sender owns every element', async () => {
    const { resource: stored } = await repo.create<Patient>({
      resourceType: 'Patient',
      identifier: [{ system: 'urn:mrn', value: 'KEEP-1' }],
      active: false,
      link: [{ other: { reference: 'Patient/golden-1' }, type: 'refer' }],
    });
    const update = (family: string): Bundle => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'urn:mrn', value: 'KEEP-1' }],
            name: [{ family }],
          },
          request: { method: 'PUT', url: 'Patient?identifier=urn:mrn|KEEP-1' },
        },
      ],
    });
    await repo.processBundle(update('Okafor'), { keepElements: { Patient: ['link', 'active'] } });
    const kept = await repo.read<Patient>('Patient', stored.id!);
    assert.equal(kept.name?.[0]?.family, 'Okafor');
    assert.equal(kept.active, false);
    assert.deepEqual(kept.link, stored.link);
    await repo.processBundle(update('Okafor-Smith'));
    assert.equal(
      (await repo.read<Patient>('Patient', stored.id!)).link,
      undefined,
      'without it, the sender owns all',
    );
  });
});
