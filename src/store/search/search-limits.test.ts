import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import { pgliteBackend } from '../testing/backends.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { searchLimits } from './search-limits.ts';
import { searchResources } from './search-resources.ts';
import { seedResources } from './testing/seed-resources.ts';

/**
 * Issue 12: `_include:iterate` with `_count=1` returned the whole database, and OR lists of
 * 50,000 values stalled the server (100,000 answered 500). Each search is now bounded by
 * `searchLimits`; the bounds are refused as 400s naming the parameter, or, for includes, the
 * page says it was cut.
 */
describe('search limits [pglite]', () => {
  let db: SqlDatabase;
  const search = (resourceType: string, params: [string, string][]): Promise<Bundle> =>
    searchResources(db, { resourceType, params, baseUrl: 'http://t/fhir' });
  const modes = (bundle: Bundle, mode: string) =>
    (bundle.entry ?? []).filter((entry) => entry.search?.mode === mode);

  before(async () => {
    db = await pgliteBackend.open();
    // p0 → p1 → … → p6 through Patient.link: a chain :iterate could follow to its end.
    const chain: Patient[] = Array.from({ length: 7 }, (_, i) => ({
      resourceType: 'Patient',
      id: `p${i}`,
      ...(i < 6 ? { link: [{ other: { reference: `Patient/p${i + 1}` }, type: 'seealso' }] } : {}),
    }));
    const many: Observation[] = Array.from({ length: searchLimits.maxIncludedPerPage + 5 }, (_, i) => ({
      resourceType: 'Observation',
      id: `obs-${i}`,
      status: 'final',
      code: { text: 'x' },
      subject: { reference: 'Patient/p0' },
    }));
    await seedResources(db, [...chain, ...many]);
  });
  after(() => db.close());

  async function assertRefused(search: Promise<unknown>, expression: string) {
    await assert.rejects(search, (error: unknown) => {
      assert.ok(isThroughlineError(error) && error.code === 'INVALID_SEARCH', String(error));
      assert.equal(error.issues[0]?.expression, expression);
      return true;
    });
  }

  test('more than maxValuesPerParameter OR values is a 400 naming the parameter; the limit itself is fine', async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`).join(',');
    const max = searchLimits.maxValuesPerParameter;
    assert.equal(modes(await search('Patient', [['_id', values(max)]]), 'match').length, 0);
    await assertRefused(search('Patient', [['_id', values(max + 1)]]), '_id');
    await assertRefused(search('Patient', [['family', values(100_000)]]), 'family');
    await assertRefused(
      search('Patient', [
        [
          '_sort',
          Array(max + 1)
            .fill('_id')
            .join(','),
        ],
      ]),
      '_sort',
    );
  });

  test('more than maxParameters parameters is a 400 naming the first one too many', async () => {
    const params = Array.from({ length: searchLimits.maxParameters + 1 }, (_, i): [string, string] => [
      'family',
      `f${i}`,
    ]);
    await assertRefused(search('Patient', params), 'family');
    assert.ok(await search('Patient', params.slice(1)));
  });

  test(':iterate stops after maxIncludeIterations rounds', async () => {
    const bundle = await search('Patient', [
      ['_id', 'p0'],
      ['_include:iterate', 'Patient:link'],
    ]);
    const included = modes(bundle, 'include').map((entry) => entry.resource!.id);
    const rounds = searchLimits.maxIncludeIterations + 1;
    assert.deepEqual(
      included,
      Array.from({ length: rounds }, (_, i) => `p${i + 1}`),
    );
  });

  test('_count=1 with _revinclude over maxIncludedPerPage: the page is cut and says so', async () => {
    const bundle = await search('Patient', [
      ['_id', 'p0'],
      ['_count', '1'],
      ['_revinclude', 'Observation:subject'],
    ]);
    assert.equal(modes(bundle, 'match').length, 1);
    assert.equal(modes(bundle, 'include').length, searchLimits.maxIncludedPerPage);
    const outcome = modes(bundle, 'outcome')[0]?.resource as OperationOutcome | undefined;
    assert.equal(outcome?.resourceType, 'OperationOutcome');
    assert.equal(outcome?.issue[0]?.severity, 'warning');
    const whole = await search('Patient', [
      ['_id', 'p1'],
      ['_revinclude', 'Observation:subject'],
    ]);
    assert.equal(modes(whole, 'outcome').length, 0, 'no warning when nothing was cut');
  });
});
