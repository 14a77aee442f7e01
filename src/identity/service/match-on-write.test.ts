import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { startBackgroundWorker } from '../../store/index.ts';
import { goldenIdOf } from '../golden/golden-record.ts';
import { listReviewQueue, decideReview } from '../review/review-queue.ts';
import type { MatchEngine } from './match-engine.ts';
import { matchOnWrite } from './match-on-write.ts';
import { matchPatient } from './match-patient.ts';

/**
 * A deliberately simple engine, so these tests are about the service (indexing, banding,
 * remembering decisions) rather than about scoring: same family + birth date → auto-link,
 * same family only → review.
 */
const engine: MatchEngine = {
  blockingKeys: (patient) => [`family:${patient.name?.[0]?.family?.toLowerCase()}`],
  compare(a, b) {
    const sameFamily = a.name?.[0]?.family === b.name?.[0]?.family;
    const sameBirth = a.birthDate !== undefined && a.birthDate === b.birthDate;
    const score = (sameFamily ? 10 : -10) + (sameBirth ? 10 : 0);
    return {
      score,
      band: score >= 20 ? 'auto-link' : score >= 10 ? 'review' : 'no-link',
      probability: score >= 20 ? 0.99 : score >= 10 ? 0.5 : 0.01,
      explanation: [
        { field: 'family', level: sameFamily ? 'exact' : 'different', weight: sameFamily ? 10 : -10 },
      ],
    };
  },
};

describeEachBackend('identity: match on write', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  test('a new record of a known person is auto-linked; a doubtful one is queued; a rejected pair stays rejected', async () => {
    const worker = startBackgroundWorker(db, {
      pollMs: 0,
      eventHandlers: [matchOnWrite({ repository: repo, db, engine })],
    });
    const first = (
      await repo.create<Patient>({
        resourceType: 'Patient',
        name: [{ family: 'Okonkwo', given: ['Maya'] }],
        birthDate: '1988-04-12',
      })
    ).resource;
    const second = (
      await repo.create<Patient>({
        resourceType: 'Patient',
        name: [{ family: 'Okonkwo', given: ['May'] }],
        birthDate: '1988-04-12',
      })
    ).resource;
    await worker.drain();
    const golden = goldenIdOf(await repo.read<Patient>('Patient', first.id));
    assert.ok(golden);
    assert.equal(goldenIdOf(await repo.read<Patient>('Patient', second.id)), golden);

    const doubtful = (
      await repo.create<Patient>({
        resourceType: 'Patient',
        name: [{ family: 'Okonkwo', given: ['Martha'] }],
        birthDate: '1951-01-01',
      })
    ).resource;
    await worker.drain();
    const queue = await listReviewQueue(repo);
    assert.ok(queue.length >= 1);
    assert.ok(queue.every((item) => item.recordIds.includes(doubtful.id)));
    for (const item of queue)
      await decideReview(repo, { taskId: item.taskId, decision: 'reject', by: 'coordinator' });
    await repo.update({ ...(await repo.read<Patient>('Patient', doubtful.id)), gender: 'female' });
    await worker.drain();
    assert.deepEqual(await listReviewQueue(repo), []);

    const matches = await matchPatient(
      { repository: repo, db, engine },
      { resourceType: 'Patient', name: [{ family: 'Okonkwo' }], birthDate: '1988-04-12' },
    );
    assert.equal(matches[0]?.outcome.band, 'auto-link');
    await worker.stop();
  });
});
