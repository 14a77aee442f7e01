import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { goldenIdOf, isGolden, memberIdsOf } from './golden-record.ts';
import { linkRecords } from './link-records.ts';
import { unlinkRecord } from './unlink-record.ts';
import { surviveFields } from './survivorship.ts';

const record = (source: string, given: string, phone: string, birthDate = '1988-04-12'): Patient => ({
  resourceType: 'Patient',
  meta: { source },
  identifier: [{ system: `http://${source}/mrn`, value: `${source}-${given}` }],
  name: [{ given: [given], family: 'Okafor' }],
  birthDate,
  telecom: [{ system: 'phone', value: phone }],
});

test('survivorship: trusted name, agreed birth date, union of phones; MRNs stay on their records', () => {
  const gp = {
    ...record('gp', 'Maya', '+15550001'),
    meta: { source: 'gp', lastUpdated: '2026-01-01T00:00:00Z' },
  };
  const lab = {
    ...record('lab', 'May', '+15550002', '1988-12-04'),
    meta: { source: 'lab', lastUpdated: '2026-03-01T00:00:00Z' },
  };
  const hospital = {
    ...record('hospital', 'Maya', '+15550001'),
    meta: { source: 'hospital', lastUpdated: '2026-02-01T00:00:00Z' },
  };
  const golden = surviveFields([gp, lab, hospital], {
    rules: {
      name: 'most-trusted',
      birthDate: 'most-frequent',
      telecom: 'union',
    } as never,
    sourceTrust: { gp: 10, hospital: 5, lab: 1 },
  });
  assert.deepEqual(golden.name, [{ given: ['Maya'], family: 'Okafor' }]);
  assert.equal(golden.birthDate, '1988-04-12');
  assert.deepEqual(
    golden.telecom?.map((t) => t.value),
    ['+15550002', '+15550001'],
  );
  assert.equal(golden.identifier, undefined, 'MRNs stay on their source records');
});

describeEachBackend('golden record: link and unlink', (backend) => {
  const { repo } = testStorePerSuite(backend);

  test('linking makes one golden record; linking two groups folds them into one', async () => {
    const ids: string[] = [];
    for (const [source, given] of [
      ['gp', 'Maya'],
      ['lab', 'May'],
      ['hospital', 'Maya'],
      ['portal', 'Maya'],
    ]) {
      ids.push((await repo.create(record(source!, given!, '+15550001'))).resource.id!);
    }
    const first = await linkRecords(repo, [ids[0]!, ids[1]!]);
    assert.ok(isGolden(first.golden));
    assert.deepEqual(memberIdsOf(first.golden).sort(), [ids[0], ids[1]].sort());
    const second = await linkRecords(repo, [ids[2]!, ids[3]!]);
    const folded = await linkRecords(repo, [ids[1]!, ids[2]!]);
    assert.equal(folded.golden.id, first.golden.id);
    assert.deepEqual(folded.retired, [second.golden.id]);
    assert.deepEqual(memberIdsOf(folded.golden).sort(), [...ids].sort());
    for (const id of ids) assert.equal(goldenIdOf(await repo.read<Patient>('Patient', id)), first.golden.id);
    const retired = await repo.read<Patient>('Patient', second.golden.id!);
    assert.equal(retired.active, false);
    assert.equal(retired.link?.[0]?.type, 'replaced-by');

    const rebuilt = await unlinkRecord(repo, ids[3]!);
    assert.deepEqual(memberIdsOf(rebuilt).sort(), ids.slice(0, 3).sort());
    assert.equal(goldenIdOf(await repo.read<Patient>('Patient', ids[3]!)), undefined);
  });

  test('a refer link that identity did not make (one-sided) retires and folds nothing', async () => {
    const victim = (await repo.create(record('gp', 'Vera', '+2'))).resource.id!;
    const forged = await repo.create({
      ...record('portal', 'Maya', '+3'),
      link: [{ other: { reference: `Patient/${victim}` }, type: 'refer' }],
    });
    const other = (await repo.create(record('lab', 'Maya', '+3'))).resource.id!;
    const { golden, retired } = await linkRecords(repo, [forged.resource.id, other]);
    assert.deepEqual(retired, []);
    assert.notEqual(golden.id, victim);
    const stillThere = await repo.read<Patient>('Patient', victim);
    assert.equal(stillThere.active, undefined);
    assert.equal(stillThere.link, undefined);
  });

  test('a golden record cannot be linked as a source record', async () => {
    const a = (await repo.create(record('gp', 'Ann', '+1'))).resource.id!;
    const b = (await repo.create(record('lab', 'Ann', '+1'))).resource.id!;
    const { golden } = await linkRecords(repo, [a, b]);
    await assert.rejects(linkRecords(repo, [golden.id!, a]), { code: 'INVALID_REQUEST' });
  });
});
