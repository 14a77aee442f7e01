import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { goldenIdOf } from '../golden/golden-record.ts';
import { decideReview, listReviewQueue, proposeReview, wasRejected } from './review-queue.ts';

describeEachBackend('identity review queue', (backend) => {
  const { repo } = testStorePerSuite(backend);

  const patient = async (given: string) =>
    (await repo.create<Patient>({ resourceType: 'Patient', name: [{ given: [given], family: 'Okafor' }] }))
      .resource.id!;
  const explanation = [{ field: 'given', level: 'nickname', weight: 3.2 }];

  test('one Task per pair, ordered by score; accept links, reject is remembered', async () => {
    const [maya, may, mia] = [await patient('Maya'), await patient('May'), await patient('Mia')];
    const first = await proposeReview(repo, { a: maya, b: may, score: 9.5, explanation });
    const again = await proposeReview(repo, { a: may, b: maya, score: 9.5, explanation });
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.item.taskId, first.item.taskId);
    await proposeReview(repo, { a: maya, b: mia, score: 4.1, explanation });
    const queue = await listReviewQueue(repo);
    assert.deepEqual(
      queue.map((item) => item.score),
      [9.5, 4.1],
    );
    assert.deepEqual(queue[0]!.explanation, explanation);

    await decideReview(repo, { taskId: queue[0]!.taskId, decision: 'link', by: 'coordinator@demo.clinic' });
    const mayaRecord = await repo.read<Patient>('Patient', maya);
    assert.equal(goldenIdOf(mayaRecord), goldenIdOf(await repo.read<Patient>('Patient', may)));

    await decideReview(repo, { taskId: queue[1]!.taskId, decision: 'reject', by: 'coordinator@demo.clinic' });
    assert.equal(await wasRejected(repo, mia, maya), true);
    assert.deepEqual(await listReviewQueue(repo), []);
    await assert.rejects(decideReview(repo, { taskId: queue[1]!.taskId, decision: 'link', by: 'x' }), {
      code: 'CONFLICT',
    });
  });
});
