import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from './testing/backends.ts';
import { createFhirRepository } from './create-repository.ts';
import type { FhirRepository } from './fhir-repository.ts';
import type { SqlDatabase } from './sql/database.ts';

const baseUrl = 'http://test/fhir';
const patient = (family: string): Patient => ({
  resourceType: 'Patient',
  name: [{ family, given: ['Maya'] }],
});

describeEachBackend('FHIR repository: CRUD, history, change events', (backend) => {
  let db: SqlDatabase;
  let repo: FhirRepository;
  before(async () => {
    db = await backend.open();
    repo = createFhirRepository(db, { baseUrl });
  });
  after(() => db.close());

  test('create assigns id, version 1 and lastUpdated; read returns it', async () => {
    const { resource, outcome } = await repo.create(patient('Okafor'));
    assert.equal(outcome, 'created');
    assert.ok(resource.id);
    assert.equal(resource.meta?.versionId, '1');
    assert.deepEqual(await repo.read('Patient', resource.id!), resource);
  });

  test('update with If-Match: current version succeeds, stale version is a VERSION_CONFLICT', async () => {
    const { resource } = await repo.create(patient('Lee'));
    const updated = await repo.update({ ...resource, gender: 'female' }, { ifMatch: '1' });
    assert.equal(updated.resource.meta?.versionId, '2');
    await assert.rejects(repo.update({ ...resource, gender: 'male' }, { ifMatch: '1' }), {
      code: 'VERSION_CONFLICT',
    });
    assert.equal((await repo.vread<Patient>('Patient', resource.id!, '1')).gender, undefined);
    assert.equal((await repo.read<Patient>('Patient', resource.id!)).gender, 'female');
  });

  test('an update that changes nothing makes no new version', async () => {
    const { resource } = await repo.create(patient('Same'));
    const again = await repo.update(resource);
    assert.equal(again.outcome, 'unchanged');
    assert.equal(again.resource.meta?.versionId, '1');
  });

  test('the same content in another key order, or with keys holding undefined, is no new version', async () => {
    const { resource } = await repo.create({ ...patient('Order'), gender: 'other', birthDate: '1970-01-01' });
    const reordered = Object.fromEntries(Object.entries(resource).reverse()) as Patient;
    const again = await repo.update({ ...reordered, active: undefined });
    assert.equal(again.outcome, 'unchanged');
    assert.equal(again.resource.meta?.versionId, '1');
    const changed = await repo.update({ ...reordered, name: [{ family: 'Order', given: ['A'] }] });
    assert.equal(changed.resource.meta?.versionId, '2');
  });

  test('update with a client id creates the resource (update-as-create)', async () => {
    const result = await repo.update({ ...patient('Client'), id: 'client-chosen-1' });
    assert.equal(result.outcome, 'created');
    assert.equal((await repo.read('Patient', 'client-chosen-1')).id, 'client-chosen-1');
  });

  test('delete is soft and versioned: read is GONE, history keeps every version', async () => {
    const { resource } = await repo.create(patient('Gone'));
    await repo.delete('Patient', resource.id!);
    await assert.rejects(repo.read('Patient', resource.id!), { code: 'GONE' });
    const history = await repo.history({ resourceType: 'Patient', id: resource.id! });
    assert.deepEqual(
      history.entry?.map((entry) => entry.request?.method),
      ['DELETE', 'POST'],
    );
    assert.equal((await repo.vread('Patient', resource.id!, '1')).id, resource.id);
  });

  test('unknown ids and types give coded errors', async () => {
    await assert.rejects(repo.read('Patient', 'nope'), { code: 'NOT_FOUND' });
    await assert.rejects(repo.read('Spaceship', 'x'), { code: 'UNKNOWN_RESOURCE_TYPE' });
    await assert.rejects(repo.vread('Patient', 'nope', '1'), { code: 'NOT_FOUND' });
  });

  test('invalid resources are rejected with the offending path and nothing is written', async () => {
    const before = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM resource');
    await assert.rejects(
      repo.create({ resourceType: 'Patient', name: [{ given: [42] }] } as unknown as Patient),
      (error: { code: string; issues: { expression?: string }[] }) =>
        error.code === 'INVALID_RESOURCE' && error.issues[0]?.expression === 'Patient.name[0].given[0]',
    );
    const afterCount = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM resource');
    assert.equal(afterCount.rows[0]?.n, before.rows[0]?.n);
  });

  test('every write records a change event with the patient compartment, in the same transaction', async () => {
    const { resource: p } = await repo.create(patient('Events'));
    const { resource: obs } = await repo.create<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'HbA1c' },
      subject: { reference: `Patient/${p.id}` },
    });
    const events = await db.query<{ resource_type: string; action: string; compartment: string }>(
      'SELECT resource_type, action, compartment FROM change_event WHERE id = $1',
      [obs.id],
    );
    assert.deepEqual(events.rows, [{ resource_type: 'Observation', action: 'create', compartment: p.id }]);
    const row = await db.query<{ compartment: string }>('SELECT compartment FROM resource WHERE id = $1', [
      obs.id,
    ]);
    assert.equal(row.rows[0]?.compartment, p.id);
  });

  test('type and system history page newest first with next links', async () => {
    for (let i = 0; i < 3; i++) await repo.create(patient(`Page${i}`));
    const page = await repo.history({ resourceType: 'Patient', count: 2 });
    assert.equal(page.entry?.length, 2);
    assert.ok(page.link?.some((link) => link.relation === 'next'));
    const system = await repo.history({ count: 1 });
    assert.equal(system.entry?.length, 1);
  });

  test('type history in a window: since and until bound the versions by lastUpdated', async () => {
    const first = (await repo.create(patient('Window0'))).resource;
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct lastUpdated instants
    const second = (await repo.create(patient('Window1'))).resource;
    const [from, to] = [first.meta!.lastUpdated!, first.meta!.lastUpdated!];
    const window = await repo.history({ resourceType: 'Patient', since: from, until: to });
    const ids = (window.entry ?? []).map((entry) => entry.resource?.id);
    assert.ok(ids.includes(first.id));
    assert.ok(!ids.includes(second.id), 'written after until');
    for (const entry of window.entry ?? []) assert.equal(entry.response?.lastModified, from);
  });
});
