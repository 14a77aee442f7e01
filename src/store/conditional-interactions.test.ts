import { testStorePerSuite } from './testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from './testing/backends.ts';

const mrn = (value: string): Patient => ({
  resourceType: 'Patient',
  identifier: [{ system: 'http://demo.clinic/mrn', value }],
  name: [{ family: 'Concurrent' }],
});

describeEachBackend('conditional interactions', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  test('20 concurrent conditional creates for one identifier make exactly one resource', async () => {
    const criteria = 'identifier=http://demo.clinic/mrn|C-20';
    const results = await Promise.all(
      Array.from({ length: 20 }, () => repo.create(mrn('C-20'), { ifNoneExist: criteria })),
    );
    const ids = new Set(results.map((result) => result.resource.id));
    assert.equal(ids.size, 1);
    assert.equal(results.filter((result) => result.outcome === 'created').length, 1);
    const rows = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM resource WHERE resource_type = 'Patient' AND content LIKE '%C-20%'`,
    );
    assert.equal(rows.rows[0]?.n, '1');
  });

  test('conditional update creates when nothing matches, updates the one match, refuses several', async () => {
    const criteria = 'identifier=http://demo.clinic/mrn|U-1';
    const first = await repo.conditionalUpdate(mrn('U-1'), criteria);
    assert.equal(first.outcome, 'created');
    const second = await repo.conditionalUpdate({ ...mrn('U-1'), gender: 'female' }, criteria);
    assert.equal(second.outcome, 'updated');
    assert.equal(second.resource.id, first.resource.id);
    await repo.create(mrn('DUP'));
    await repo.create(mrn('DUP'));
    await assert.rejects(repo.conditionalUpdate(mrn('DUP'), 'identifier=http://demo.clinic/mrn|DUP'), {
      code: 'MULTIPLE_MATCHES',
    });
  });

  test('a transaction resolves a conditional reference and honours ifNoneExist', async () => {
    await repo.create(mrn('T-1'));
    const response = await repo.processBundle({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'HbA1c' },
            subject: { reference: 'Patient?identifier=http://demo.clinic/mrn|T-1' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
        {
          resource: mrn('T-1'),
          request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=http://demo.clinic/mrn|T-1' },
        },
      ],
    });
    const [observation, patient] = response.entry!;
    assert.equal(patient?.response?.status, '200 OK');
    assert.equal(
      (observation?.resource as { subject: { reference: string } }).subject.reference,
      `Patient/${patient?.resource?.id}`,
    );
  });
});
