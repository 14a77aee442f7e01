import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Communication, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../testing/backends.ts';
import { createFhirRepository } from '../create-repository.ts';
import type { FhirRepository } from '../fhir-repository.ts';
import type { SqlDatabase } from '../sql/database.ts';

interface TokenRow {
  code: string;
  value: string | null;
  ctid: string;
}

const attempt = (id: string, extra: Partial<Communication> = {}): Communication => ({
  resourceType: 'Communication',
  id,
  identifier: [{ system: 'https://example.org/attempt', value: `key-${id}` }],
  status: 'in-progress',
  subject: { reference: 'Patient/p1' },
  medium: [{ coding: [{ system: 'https://example.org/mode', code: 'SMSWRIT' }] }],
  ...extra,
});

describeEachBackend('search index: a new version rewrites only the rows that changed', (backend) => {
  let db: SqlDatabase;
  let repo: FhirRepository;
  before(async () => {
    db = await backend.open();
    repo = createFhirRepository(db, { baseUrl: 'http://test/fhir' });
  });
  after(() => db.close());

  const tokens = async (id: string): Promise<TokenRow[]> =>
    (
      await db.query<TokenRow>(
        `SELECT code, value, ctid::text AS ctid FROM search_token
         WHERE resource_type = 'Communication' AND id = $1 ORDER BY code, value`,
        [id],
      )
    ).rows;
  const ids = async (query: string) =>
    (
      (await repo.search({ resourceType: 'Communication', params: [...new URLSearchParams(query)] })).entry ??
      []
    )
      .map((e) => e.resource?.id)
      .sort();

  test('rows the new version shares with the stored one stay where they are; changed ones are replaced', async () => {
    await repo.update(attempt('a1'));
    const before = await tokens('a1');
    const provider = { system: 'https://example.org/provider', value: 'SM1' };
    await repo.update(
      attempt('a1', { status: 'completed', identifier: [...attempt('a1').identifier!, provider] }),
    );
    const afterUpdate = await tokens('a1');
    const kept = (row: TokenRow) => row.code !== 'status';
    // The unchanged rows are the same physical rows (not deleted and inserted again).
    assert.deepEqual(
      afterUpdate.filter((r) => kept(r) && r.value !== 'SM1'),
      before.filter(kept),
    );
    assert.deepEqual(
      afterUpdate.map((r) => [r.code, r.value]),
      [
        ['identifier', 'SM1'],
        ['identifier', 'key-a1'],
        ['medium', 'SMSWRIT'],
        ['status', 'completed'],
      ],
    );
    assert.deepEqual(await ids('status=in-progress&_id=a1'), []);
    assert.deepEqual(await ids('status=completed&identifier=SM1'), ['a1']);
  });

  test('an update still corrects rows that do not match the stored version (missing or stale)', async () => {
    await repo.update(attempt('a2'));
    await db.query(
      `DELETE FROM search_token WHERE resource_type = 'Communication' AND id = 'a2' AND code = 'medium'`,
    );
    await db.query(
      `INSERT INTO search_token VALUES ('Communication', 'a2', 'status', NULL, 'entered-in-error', NULL)`,
    );
    await repo.update(attempt('a2', { status: 'completed' }));
    assert.deepEqual(
      (await tokens('a2')).map((r) => [r.code, r.value]),
      [
        ['identifier', 'key-a2'],
        ['medium', 'SMSWRIT'],
        ['status', 'completed'],
      ],
    );
  });

  test('a bundle creating, replacing and re-sending resources indexes each one as its last version', async () => {
    await repo.update(attempt('a3'));
    const entries = [
      attempt('a3', { status: 'completed' }),
      attempt('a4'),
      attempt('a4', { status: 'stopped' }),
    ].map((resource: Resource) => ({
      resource,
      request: { method: 'PUT' as const, url: `Communication/${resource.id}` },
    }));
    await repo.processBundle({ resourceType: 'Bundle', type: 'transaction', entry: entries } as Bundle);
    assert.deepEqual(await ids('status=completed&_id=a3,a4'), ['a3']);
    assert.deepEqual(await ids('status=stopped&_id=a3,a4'), ['a4']);
    assert.deepEqual(
      (await tokens('a4')).map((r) => [r.code, r.value]),
      [
        ['identifier', 'key-a4'],
        ['medium', 'SMSWRIT'],
        ['status', 'stopped'],
      ],
    );
  });
});
