import { testStorePerSuite } from '../store/testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { hasPatients, seedDemoClinic } from './seed-demo-clinic.ts';

describeEachBackend('seed: the demo clinic through the repository', (backend) => {
  const { repo: repository } = testStorePerSuite(backend);

  test('fills an empty database; every record of the truth is readable; Maya is there', async () => {
    assert.equal(await hasPatients(repository), false);
    const result = await seedDemoClinic(repository, {
      patients: 30,
      seed: 3,
      now: new Date('2026-03-02T00:00:00Z'),
    });
    assert.equal(
      result.total,
      Object.values(result.byType).reduce((a, b) => a + b, 0),
    );
    assert.ok(result.byType.Patient! >= 30);
    for (const id of result.truth.people.flatMap((p) => p.patientIds)) await repository.read('Patient', id);
    const maya = await repository.read<Patient>('Patient', result.truth.maya.gpPatientId);
    assert.equal(maya.name?.[0]?.given?.[0], 'Maya');
  });

  test('refuses a database that already holds patients, with a clear CONFLICT', async () => {
    assert.equal(await hasPatients(repository), true);
    await assert.rejects(seedDemoClinic(repository, { patients: 5 }), {
      code: 'CONFLICT',
      message: /already holds patients.*--force/,
    });
  });
});
