import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Encounter, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { goldenIdOf, memberIdsOf } from '../golden/golden-record.ts';
import { linkRecords } from '../golden/link-records.ts';
import { mergePatients } from './merge-patients.ts';
import { unmergePatients } from './unmerge-patients.ts';

function withoutMeta<T extends Resource>(resource: T): T {
  const { meta: _meta, ...rest } = resource;
  return rest as T;
}

describeEachBackend('merge and un-merge', (backend) => {
  const { repo } = testStorePerSuite(backend);

  async function twoRecordsOfMaya() {
    const { resource: source } = await repo.create<Patient>({
      resourceType: 'Patient',
      name: [{ given: ['Maya'], family: 'Okafor' }],
      link: [{ other: { reference: 'Patient/unrelated' }, type: 'seealso' }],
    });
    const { resource: target } = await repo.create<Patient>({
      resourceType: 'Patient',
      name: [{ given: ['Maya'], family: 'Okafor' }],
      birthDate: '1988-04-12',
    });
    const { resource: encounter } = await repo.create<Encounter>({
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      subject: { reference: `Patient/${source.id}` },
    });
    const { resource: lab } = await repo.create<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'HbA1c' },
      subject: { reference: `Patient/${source.id}` },
      encounter: { reference: `Encounter/${encounter.id}` },
      performer: [{ reference: `Patient/${source.id}` }],
    });
    return { source, target, encounter, lab };
  }

  test('merge re-points every reference, links both records, deletes nothing; un-merge restores exactly', async () => {
    const { source, target, encounter, lab } = await twoRecordsOfMaya();
    const merged = await mergePatients(repo, {
      sourceId: source.id!,
      targetId: target.id!,
      performedBy: 'coordinator@demo.clinic',
    });
    assert.deepEqual(merged.moved.sort(), [`Encounter/${encounter.id}`, `Observation/${lab.id}`].sort());
    const movedLab = await repo.read<Observation>('Observation', lab.id!);
    assert.equal(movedLab.subject?.reference, `Patient/${target.id}`);
    assert.equal(movedLab.performer?.[0]?.reference, `Patient/${target.id}`);
    const mergedSource = await repo.read<Patient>('Patient', source.id!);
    assert.equal(mergedSource.active, false);
    assert.deepEqual(mergedSource.link?.at(-1), {
      other: { reference: `Patient/${target.id}` },
      type: 'replaced-by',
    });
    assert.deepEqual((await repo.read<Patient>('Patient', target.id!)).link, [
      { other: { reference: `Patient/${source.id}` }, type: 'replaces' },
    ]);

    const unmerged = await unmergePatients(repo, { sourceId: source.id! });
    assert.equal(unmerged.restored.length, 2);
    assert.deepEqual(withoutMeta(await repo.read<Patient>('Patient', source.id!)), withoutMeta(source));
    assert.deepEqual(withoutMeta(await repo.read<Patient>('Patient', target.id!)), withoutMeta(target));
    assert.deepEqual(withoutMeta(await repo.read<Observation>('Observation', lab.id!)), withoutMeta(lab));
    assert.deepEqual(
      withoutMeta(await repo.read<Encounter>('Encounter', encounter.id!)),
      withoutMeta(encounter),
    );
  });

  test('merging an already merged record, into itself, or into a merged record is refused', async () => {
    const { source, target } = await twoRecordsOfMaya();
    await mergePatients(repo, { sourceId: source.id!, targetId: target.id! });
    await assert.rejects(mergePatients(repo, { sourceId: source.id!, targetId: target.id! }), {
      code: 'CONFLICT',
    });
    const { resource: third } = await repo.create<Patient>({ resourceType: 'Patient' });
    await assert.rejects(mergePatients(repo, { sourceId: third.id!, targetId: source.id! }), {
      code: 'CONFLICT',
    });
    await assert.rejects(mergePatients(repo, { sourceId: third.id!, targetId: third.id! }), {
      code: 'INVALID_REQUEST',
    });
  });

  test('two opposite merges at once: exactly one wins, no cycle', async () => {
    const { source, target } = await twoRecordsOfMaya();
    const results = await Promise.allSettled([
      mergePatients(repo, { sourceId: source.id!, targetId: target.id! }),
      mergePatients(repo, { sourceId: target.id!, targetId: source.id! }),
    ]);
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    const a = await repo.read<Patient>('Patient', source.id!);
    const b = await repo.read<Patient>('Patient', target.id!);
    const replaced = [a, b].filter((patient) => patient.link?.some((link) => link.type === 'replaced-by'));
    assert.equal(replaced.length, 1);
  });

  test('un-merge keeps the golden-record link that linking changed after the merge', async () => {
    const { source, target } = await twoRecordsOfMaya();
    await mergePatients(repo, { sourceId: source.id!, targetId: target.id! });
    const { resource: other } = await repo.create<Patient>({ resourceType: 'Patient' });
    const { golden } = await linkRecords(repo, [source.id!, other.id!]);
    await unmergePatients(repo, { sourceId: source.id! });
    const restored = await repo.read<Patient>('Patient', source.id!);
    assert.equal(goldenIdOf(restored), golden.id);
    assert.ok(memberIdsOf(await repo.read<Patient>('Patient', golden.id!)).includes(source.id!));
    assert.equal(restored.active, source.active);
  });

  test('preview changes nothing', async () => {
    const { source, target, lab } = await twoRecordsOfMaya();
    const preview = await mergePatients(repo, { sourceId: source.id!, targetId: target.id!, preview: true });
    assert.equal(preview.outcome, 'preview');
    assert.equal(
      (await repo.read<Observation>('Observation', lab.id!)).subject?.reference,
      `Patient/${source.id}`,
    );
  });
});
