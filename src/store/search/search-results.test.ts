import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { describeEachBackend } from '../testing/backends.ts';
import type { SqlDatabase } from '../sql/database.ts';
import type { SearchRequest } from './contract.ts';
import { searchResources } from './search-resources.ts';
import { clinic } from './testing/fixtures.ts';
import { deleteSeeded, seedResources } from './testing/seed-resources.ts';

const baseUrl = 'http://t/fhir';
const matchIds = (bundle: Bundle): string[] =>
  (bundle.entry ?? []).filter((entry) => entry.search?.mode === 'match').map((entry) => entry.resource!.id!);
const includeIds = (bundle: Bundle): string[] =>
  (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode === 'include')
    .map((entry) => `${entry.resource!.resourceType}/${entry.resource!.id}`)
    .sort();
const link = (bundle: Bundle, relation: string): string | undefined =>
  bundle.link?.find((item) => item.relation === relation)?.url;
const paramsOf = (url: string): [string, string][] => [...new URL(url).searchParams];

describeEachBackend('search: results, paging, includes, compartments', (backend) => {
  let db: SqlDatabase;
  const search = (resourceType: string, query: string, extra: Partial<SearchRequest> = {}): Promise<Bundle> =>
    searchResources(db, { resourceType, params: [...new URLSearchParams(query)], baseUrl, ...extra });
  before(async () => {
    db = await backend.open();
    await seedResources(db, clinic);
    const series: Observation[] = Array.from({ length: 25 }, (_, i) => ({
      resourceType: 'Observation',
      id: `hr-${String(i).padStart(2, '0')}`,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: 'Patient/tom' },
      // Pairs share a date so the id tie-break decides their order.
      effectiveDateTime: `2021-01-${String(1 + Math.floor(i / 2)).padStart(2, '0')}`,
    }));
    await seedResources(db, series);
  });
  after(() => db.close());

  test('searchset shape: fullUrl, match mode, self link, total only when asked', async () => {
    const bundle = await search('Patient', 'gender=female');
    assert.equal(bundle.type, 'searchset');
    assert.equal(bundle.entry?.[0]?.fullUrl, `${baseUrl}/Patient/maya`);
    assert.equal(bundle.total, undefined);
    assert.equal(link(bundle, 'self'), `${baseUrl}/Patient?gender=female`);
    assert.equal((await search('Patient', 'gender=female&_total=accurate')).total, 1);
    assert.equal((await search('Patient', '_total=estimate')).total, 2);
  });

  test('keyset paging (`after`): id order, each page starts after the last id of the one before', async () => {
    const first = await search('Observation', 'code=8867-4&_count=10', { after: '' });
    const firstIds = matchIds(first);
    assert.deepEqual(firstIds, [...firstIds].sort());
    const second = await search('Observation', 'code=8867-4&_count=10', { after: firstIds.at(-1)! });
    const third = await search('Observation', 'code=8867-4&_count=10', { after: matchIds(second).at(-1)! });
    const all = [...firstIds, ...matchIds(second), ...matchIds(third)];
    assert.equal(all.length, 25);
    assert.equal(new Set(all).size, 25);
  });

  test('paging: default 20, next/previous links walk every match once, in a stable order', async () => {
    const first = await search('Observation', 'code=8867-4&_sort=-date');
    assert.equal(first.entry?.length, 20);
    assert.equal(link(first, 'previous'), undefined);
    const next = link(first, 'next')!;
    assert.deepEqual(paramsOf(next), [
      ['code', '8867-4'],
      ['_sort', '-date'],
      ['_offset', '20'],
    ]);
    const second = await search('Observation', new URL(next).search.slice(1));
    assert.equal(second.entry?.length, 5);
    assert.equal(link(second, 'next'), undefined);
    assert.deepEqual(paramsOf(link(second, 'previous')!), [
      ['code', '8867-4'],
      ['_sort', '-date'],
    ]);
    const all = [...matchIds(first), ...matchIds(second)];
    assert.equal(new Set(all).size, 25);
    assert.deepEqual(all.slice(0, 3), ['hr-24', 'hr-22', 'hr-23']);
    const small = await search('Observation', 'code=8867-4&_count=2&_sort=date');
    assert.deepEqual(matchIds(small), ['hr-00', 'hr-01']);
    assert.equal((await search('Observation', '_count=5000')).entry?.length, 30);
  });

  test('_sort: several keys, descending, _id and _lastUpdated', async () => {
    assert.deepEqual(matchIds(await search('Patient', '_sort=-birthdate')), ['maya', 'tom']);
    assert.deepEqual(matchIds(await search('Patient', '_sort=gender,-_id')), ['maya', 'tom']);
    assert.deepEqual(matchIds(await search('Patient', '_sort=-_id')), ['tom', 'maya']);
    assert.deepEqual(matchIds(await search('Observation', 'subject=maya&_sort=code,-date')), [
      'obs-2',
      'obs-1',
      'obs-3',
    ]);
    assert.equal(matchIds(await search('Patient', '_sort=_lastUpdated')).length, 2);
  });

  test('_include, _include:iterate, _revinclude and the * wildcard', async () => {
    const included = await search(
      'Observation',
      '_id=obs-1&_include=Observation:subject&_include=Observation:encounter',
    );
    assert.deepEqual(includeIds(included), ['Encounter/enc-1', 'Patient/maya']);
    const derived = await search('Observation', '_id=obs-1&_include=Observation:patient');
    assert.deepEqual(includeIds(derived), ['Patient/maya']);
    const typed = await search('Observation', '_id=obs-1&_include=Observation:subject:Group');
    assert.deepEqual(includeIds(typed), []);
    const iterate = await search(
      'Observation',
      '_id=obs-1&_include=Observation:subject&_include:iterate=Patient:organization',
    );
    assert.deepEqual(includeIds(iterate), ['Organization/org-1', 'Patient/maya']);
    const wildcard = await search('Observation', '_id=obs-1&_include=Observation:*');
    assert.deepEqual(includeIds(wildcard), ['Encounter/enc-1', 'Patient/maya']);
    const rev = await search('Observation', '_id=obs-1&_revinclude=Provenance:target');
    assert.deepEqual(includeIds(rev), ['Provenance/prov-1']);
    const revAll = await search('Patient', '_id=maya&_revinclude=*');
    assert.ok(includeIds(revAll).includes('Observation/obs-5'));
  });

  test('compartment search: compartment column or any compartment parameter', async () => {
    const request = { compartment: { resourceType: 'Patient' as const, id: 'maya' } };
    const bundle = await search('Observation', '_sort=-date', request);
    // obs-5 is tom's, but maya is its performer: a compartment parameter of Observation.
    assert.deepEqual(matchIds(bundle), ['obs-5', 'obs-2', 'obs-1', 'obs-3']);
    assert.equal(link(bundle, 'self'), `${baseUrl}/Patient/maya/Observation?_sort=-date`);
    assert.deepEqual(matchIds(await search('Observation', 'code=4548-4', request)), ['obs-3', 'obs-5']);
    assert.deepEqual(matchIds(await search('Encounter', '', request)), ['enc-1']);
    assert.deepEqual(matchIds(await search('Organization', '', request)), []);
  });

  test('_elements keeps asked-for and mandatory elements and marks the result SUBSETTED', async () => {
    const bundle = await search('Observation', '_id=obs-1&_elements=subject,value');
    const resource = bundle.entry?.[0]?.resource as Observation;
    assert.deepEqual(Object.keys(resource).sort(), [
      'code',
      'id',
      'meta',
      'resourceType',
      'status',
      'subject',
      'valueQuantity',
    ]);
    assert.ok(resource.meta?.tag?.some((tag) => tag.code === 'SUBSETTED'));
    const summary = await search('Patient', '_id=maya&_summary=true');
    const patient = summary.entry?.[0]?.resource as unknown as Record<string, unknown>;
    assert.ok(patient.name && patient.birthDate && !patient.multipleBirthInteger);
  });

  test('_summary=count and _count=0 return the total and no entries', async () => {
    const counted = await search('Observation', 'subject=Patient/maya&_summary=count');
    assert.equal(counted.total, 3);
    assert.equal(counted.entry, undefined);
    assert.equal((await search('Observation', 'subject=Patient/maya&_count=0')).total, 3);
  });

  test('unknown parameters are ignored and left out of links, or an error when strict', async () => {
    const bundle = await search('Patient', 'gender=male&shoe-size=42');
    assert.deepEqual(matchIds(bundle), ['tom']);
    assert.equal(link(bundle, 'self'), `${baseUrl}/Patient?gender=male`);
    assert.deepEqual(
      matchIds(await search('Patient', 'gender=male&name=')),
      ['tom'],
      'empty values are ignored',
    );
    await assert.rejects(search('Patient', 'gender=male&shoe-size=42', { strict: true }), {
      code: 'INVALID_SEARCH',
      issues: [
        {
          message: 'Unknown or unsupported search parameter "shoe-size" for Patient',
          expression: 'shoe-size',
        },
      ],
    });
  });

  test('malformed values are always INVALID_SEARCH', async () => {
    for (const query of [
      'birthdate=2020-13-01',
      'birthdate=yesterday',
      'birthdate=xx2020',
      'name:sounds=x',
      'general-practitioner.shoe=1',
      '_count=-1',
      '_sort=shoe',
      '_include=Patient:name',
      'active:missing=maybe',
      '_has:Observation:code=x',
      '_has:Observation:encounter:status=final',
    ]) {
      await assert.rejects(search('Patient', query), { code: 'INVALID_SEARCH' }, query);
    }
    await assert.rejects(search('Observation', 'value-quantity=gt1x'), { code: 'INVALID_SEARCH' });
  });

  test('deleted resources are not found and lose their index rows', async () => {
    await seedResources(db, [{ resourceType: 'Patient', id: 'gone', name: [{ family: 'Gone' }] }]);
    assert.deepEqual(matchIds(await search('Patient', 'name=gone')), ['gone']);
    await deleteSeeded(db, 'Patient', ['gone']);
    assert.deepEqual(matchIds(await search('Patient', 'name=gone')), []);
    const rows = await db.query(`SELECT 1 FROM search_string WHERE id = 'gone'`);
    assert.equal(rows.rows.length, 0);
  });
});
