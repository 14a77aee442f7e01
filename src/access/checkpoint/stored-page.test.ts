import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { createFhirRepository, type FhirRepository, type SqlDatabase } from '../../store/index.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import type { Principal } from '../principal.ts';
import { scopeRepository } from '../scoped-repository.ts';

const HIV = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HIV' };

const observation = (id: string, patient: string, extra: Partial<Resource> = {}): Resource =>
  ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { text: 'a result' },
    subject: { reference: `Patient/${patient}` },
    ...extra,
  }) as Resource;

/** p2 asked that nobody sees their Observations (a privacy Consent naming the type). */
const denyObservations = {
  resourceType: 'Consent',
  id: 'c-p2',
  status: 'active',
  scope: { coding: [{ code: 'patient-privacy' }] },
  category: [{ text: 'privacy' }],
  policyRule: { text: 'do not disclose' },
  patient: { reference: 'Patient/p2' },
  provision: { type: 'deny', class: [{ code: 'Observation' }] },
} as Resource;

const systemClient = (id: string, roles: string[]): Principal => ({
  kind: 'system',
  id,
  display: id,
  roles,
  scopes: ['system/*.rs'],
});

describeEachBackend('stored pages through the checkpoint', (backend) => {
  let db: SqlDatabase;
  let store: FhirRepository;
  const as = (principal: Principal) =>
    scopeRepository(store, { principal, context: { requestId: `req-${principal.id}` }, auditDb: db });
  before(async () => {
    db = await backend.open();
    store = createFhirRepository(db, { baseUrl: 'http://test/fhir' });
    await store.importResources([
      { resourceType: 'Patient', id: 'p1', photo: [{ url: 'http://x/p1.png' }] } as Resource,
      { resourceType: 'Patient', id: 'p2' } as Resource,
      denyObservations,
      observation('o1', 'p1'),
      observation('o2', 'p2'),
      observation('o3', 'p1', { meta: { security: [HIV] } }),
      observation('o4', 'p1'),
    ]);
  });
  after(() => db.close());

  test('shown as stored: the text verbatim, labels and consent still decide, the page audited', async () => {
    const raw = await store.readStoredPage({ resourceType: 'Observation', params: [], after: '' });
    const page = await as(systemClient('exporter', ['admin'])).readStoredPage({
      resourceType: 'Observation',
      params: [],
      after: '',
    });
    // o2: p2's consent; o3: a label admin is not granted.
    assert.deepEqual(
      page.rows.map((row) => row.id),
      ['o1', 'o4'],
    );
    assert.equal(page.rows[0]!.content, raw.rows.find((row) => row.id === 'o1')!.content);
    const audit = await db.query<{ action: string; patients: string[] }>(
      `SELECT action, patients FROM audit_log WHERE request_id = 'req-exporter'`,
    );
    assert.deepEqual(audit.rows, [{ action: 'search', patients: ['p1'] }]);
  });

  test('a masked type is parsed and masked; a page of hidden rows still says where the next begins', async () => {
    const billing = as(systemClient('biller', ['billing']));
    const patients = await billing.readStoredPage({ resourceType: 'Patient', params: [], after: '' });
    const p1 = JSON.parse(patients.rows.find((row) => row.id === 'p1')!.content) as Resource & {
      photo?: unknown;
    };
    assert.equal(p1.photo, undefined);
    assert.ok(p1.meta?.security?.some((label) => label.code === 'REDACTED'));
    const admin = as(systemClient('pager', ['admin']));
    const first = await admin.readStoredPage({
      resourceType: 'Observation',
      params: [['_count', '1']],
      after: 'o1',
    });
    assert.deepEqual(first, { rows: [], next: 'o2' });
  });

  test('result-shaping parameters are refused: a stream carries whole resources', async () => {
    await assert.rejects(
      store.readStoredPage({ resourceType: 'Observation', params: [['_elements', 'id']], after: '' }),
      { code: 'INVALID_SEARCH' },
    );
  });
});
