import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../store/testing/backends.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { platformPerSuite } from './testing/test-platform.ts';

describeEachBackend('identity model over HTTP', (backend) => {
  const platform = platformPerSuite(backend);

  test('POST /api/identity/model/$train stores a version; GET /api/identity/model lists it', async () => {
    for (const [given, birthDate] of [
      ['Maya', '1988-04-12'],
      ['May', '1988-04-12'],
      ['Ravi', '1971-09-30'],
    ]) {
      const response = await platform.fetch('/fhir/Patient', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Patient',
          name: [{ family: 'Okafor', given: [given] }],
          birthDate,
        }),
      });
      assert.equal(response.status, 201);
    }
    await platform.worker.drain();
    const empty = await platform.fetch('/api/identity/model');
    assert.deepEqual(await empty.json(), { versions: [] });

    const trained = await platform.fetch('/api/identity/model/$train', { method: 'POST' });
    assert.equal(trained.status, 200);
    const version = (await trained.json()) as { version: number; active: boolean; trainedOn: string };
    assert.match(version.trainedOn, /^3 patient records/);
    const listed = (await (await platform.fetch('/api/identity/model')).json()) as {
      versions: { version: number }[];
    };
    assert.deepEqual(
      listed.versions.map((entry) => entry.version),
      [version.version],
    );

    const readOnly = await platform.token('system/Patient.rs');
    const refused = await platform.fetch('/api/identity/model/$train', { method: 'POST', token: readOnly });
    assert.equal(refused.status, 403);
  });

  test('training needs the admin or integration role; reading the model needs a staff role', async () => {
    const patient = await platform.create({ resourceType: 'Patient' });
    const train = (token: string) => platform.fetch('/api/identity/model/$train', { method: 'POST', token });
    const read = (token: string) => platform.fetch('/api/identity/model', { token });
    for (const role of ['physician', 'care-coordinator', 'front-desk', 'privacy-officer'])
      assert.equal((await train(await staffToken(platform, role))).status, 403, `${role} trains`);
    for (const role of ['patient', 'proxy'] as const) {
      const token = await patientToken(platform, patient, role);
      assert.equal((await train(token)).status, 403, `${role} trains`);
      assert.equal((await read(token)).status, 403, `${role} reads the model`);
    }
    assert.equal((await read(await staffToken(platform, 'front-desk'))).status, 200);
    assert.equal((await train(await staffToken(platform, 'admin'))).status, 200);
  });
});
