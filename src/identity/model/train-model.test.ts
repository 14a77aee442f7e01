import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { createFhirRepository, listModelVersions } from '../../store/index.ts';
import { seededRandom } from '../engine/train/estimate-u.ts';
import { decideReview, proposeReview } from '../review/review-queue.ts';
import { loadModelEngine } from './load-model-engine.ts';
import { createModelEngine } from './model-engine.ts';
import { trainModel } from './train-model.ts';

/** People entered twice (a surname typo in the copy); every fifth has a twin at home. */
function population(people: number): { patients: Patient[]; twins: [string, string][] } {
  const random = seededRandom(5);
  const word = (n: number) =>
    Array.from({ length: n }, () => 'abcdefghiklmnoprstuvy'[Math.floor(random() * 21)]).join('');
  const patients: Patient[] = [];
  const twins: [string, string][] = [];
  for (let i = 0; i < people; i++) {
    const family = word(7);
    const person: Patient = {
      resourceType: 'Patient',
      id: `p${i}`,
      name: [{ family, given: [word(5)] }],
      birthDate: `${1930 + Math.floor(random() * 70)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      telecom: [{ system: 'phone', value: `+1 555 ${1_000_000 + i}` }],
      address: [{ line: [`${i + 1} ${word(6)} street`], city: word(8), postalCode: `${1000 + (i % 40)}` }],
    };
    patients.push(person, {
      ...person,
      id: `p${i}-copy`,
      name: [{ family: family.slice(0, 6) + 'x', given: person.name![0]!.given }],
    });
    if (i % 5 === 0) {
      patients.push({ ...person, id: `p${i}-twin`, name: [{ family, given: [word(6)] }] });
      twins.push([`p${i}`, `p${i}-twin`]);
    }
  }
  return { patients, twins };
}

describeEachBackend('identity model: train, store, activate', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  const read = (id: string) => repo.read<Patient>('Patient', id);

  test('a version trained on the population and staff decisions is stored, activated and used at once', async () => {
    const { patients, twins } = population(150);
    await repo.importResources(patients);
    for (const [a, b] of twins.slice(0, 10)) {
      const { item } = await proposeReview(repo, { a, b, score: 10, explanation: [] });
      await decideReview(repo, { taskId: item.taskId, decision: 'reject', by: 'coordinator' });
    }
    const confirmed = await proposeReview(repo, { a: 'p1', b: 'p1-copy', score: 12, explanation: [] });
    await decideReview(repo, { taskId: confirmed.item.taskId, decision: 'link', by: 'coordinator' });

    const engine = createModelEngine();
    const [twinA, twinB] = await Promise.all(twins[0]!.map(read));
    const handSet = engine.compare(twinA!, twinB!).score;
    const stored = await trainModel({ repository: repo, db, engine }, { samples: 20_000 });
    assert.equal(stored.active, true, stored.refusedBecause.join('; '));
    assert.match(stored.trainedOn, /330 patient records.*1 confirmed and 10 rejected staff decisions/);
    const trained = engine.compare(twinA!, twinB!).score;
    assert.notEqual(trained, handSet, 'the running engine switched to the trained version');

    const [copyA, copyB] = [await read('p2'), await read('p2-copy')];
    assert.equal(engine.compare(copyA, copyB).band, 'auto-link');
    const restarted = await loadModelEngine(db);
    assert.equal(
      restarted.compare(twinA!, twinB!).score,
      trained,
      'a starting service loads the active version',
    );

    const again = await trainModel({ repository: repo, db, engine }, { samples: 20_000 });
    const versions = await listModelVersions(db);
    assert.deepEqual(
      versions.map((version) => [version.version, version.active]),
      [
        [again.version, true],
        [stored.version, false],
      ],
    );
  });
});

describeEachBackend('identity model: refused versions', (backend) => {
  test('a version with nothing to learn from is stored inactive with the reason; the service keeps its weights', async () => {
    const db = await backend.open();
    try {
      const repo = createFhirRepository(db, { baseUrl: 'http://test/fhir' });
      await repo.importResources(population(2).patients.filter((patient) => !patient.id!.includes('-')));
      await repo.importResources([{ resourceType: 'Patient', id: 'unrelated', name: [{ family: 'Zed' }] }]);
      const engine = createModelEngine();
      const stored = await trainModel({ repository: repo, db, engine }, { samples: 1_000 });
      assert.equal(stored.active, false);
      assert.deepEqual(stored.refusedBecause, ['no candidate pairs: nothing to learn m from']);
      assert.equal((await listModelVersions(db))[0]?.active, false);
    } finally {
      await db.close();
    }
  });
});
