import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { decideCell, loadRoleMatrix, type Interaction, type Relation } from '../access/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { tokensForEveryRole } from './testing/role-tokens.ts';
import { consentHiding } from './testing/attack-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * The checkpoint, path by path (issue 12): for every role and every way of reaching a
 * resource — read, searches with modifiers, compartments, includes, chains, `_has`,
 * `$everything`, batch and transaction GETs, conditional criteria — what the caller gets
 * equals what an oracle computes from the role matrix file, the sensitivity labels and the
 * patients' privacy Consents. The role-matrix test checks cells; this one checks the paths
 * around them, with labelled and consent-hidden data present.
 */
const matrix = loadRoleMatrix();
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const label = (code: string) => ({
  system: code === 'V' ? 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality' : ACT,
  code,
});

/** One resource the paths try to reach. */
interface Target {
  key: string;
  type: 'Observation' | 'Condition' | 'DiagnosticReport';
  labels: string[];
  patient: 'own' | 'other';
  id?: string;
}

/** Consent hides these types from these roles, per patient. */
const CONSENT: Record<'own' | 'other', { type: string; roles: string[] }> = {
  other: { type: 'DiagnosticReport', roles: ['nurse', 'physician'] },
  own: { type: 'Condition', roles: ['nurse', 'care-coordinator', 'proxy'] },
};

const TARGETS: Target[] = (['own', 'other'] as const).flatMap((patient) => [
  { key: `${patient}-obs`, type: 'Observation', labels: [], patient },
  { key: `${patient}-obs-hiv`, type: 'Observation', labels: ['HIV'], patient },
  { key: `${patient}-obs-v`, type: 'Observation', labels: ['V'], patient },
  { key: `${patient}-cond`, type: 'Condition', labels: [], patient },
  { key: `${patient}-cond-psy`, type: 'Condition', labels: ['PSY'], patient },
  { key: `${patient}-report`, type: 'DiagnosticReport', labels: [], patient },
]);

type Path = (
  target: Target & { id: string },
  patientId: string,
) => { method: string; path: string; body?: object; headers?: Record<string, string> };
const bundleOf = (type: string, url: string) => ({
  method: 'POST',
  path: '/fhir',
  body: { resourceType: 'Bundle', type, entry: [{ request: { method: 'GET', url } }] },
});

/** Each way of reaching a target; `found` says what counts as reaching it. */
const PATHS: Record<string, { to: Path; bundle?: boolean; viaPatient?: boolean; create?: boolean }> = {
  read: { to: (t) => ({ method: 'GET', path: `/fhir/${t.type}/${t.id}` }) },
  'search _id': { to: (t) => ({ method: 'GET', path: `/fhir/${t.type}?_id=${t.id}` }) },
  'search patient': { to: (t, p) => ({ method: 'GET', path: `/fhir/${t.type}?patient=${p}` }) },
  'search :Patient': { to: (t, p) => ({ method: 'GET', path: `/fhir/${t.type}?subject:Patient=${p}` }) },
  'search :missing': {
    to: (t) => ({ method: 'GET', path: `/fhir/${t.type}?_id=${t.id}&subject:missing=false` }),
  },
  'search :not': {
    to: (t, p) => ({ method: 'GET', path: `/fhir/${t.type}?patient=${p}&_security:not=urn:x|y` }),
  },
  chain: { to: (t, p) => ({ method: 'GET', path: `/fhir/${t.type}?subject:Patient._id=${p}` }) },
  compartment: { to: (t, p) => ({ method: 'GET', path: `/fhir/Patient/${p}/${t.type}` }) },
  everything: { to: (_t, p) => ({ method: 'GET', path: `/fhir/Patient/${p}/$everything` }) },
  revinclude: {
    to: (t, p) => ({ method: 'GET', path: `/fhir/Patient?_id=${p}&_revinclude=${t.type}:subject` }),
  },
  'batch read': { bundle: true, to: (t) => bundleOf('batch', `${t.type}/${t.id}`) },
  'batch search': { bundle: true, to: (t) => bundleOf('batch', `${t.type}?_id=${t.id}`) },
  'transaction search': { bundle: true, to: (t, p) => bundleOf('transaction', `${t.type}?patient=${p}`) },
  'batch everything': { bundle: true, to: (_t, p) => bundleOf('batch', `Patient/${p}/$everything`) },
  _has: {
    viaPatient: true,
    to: (t) => ({ method: 'GET', path: `/fhir/Patient?_has:${t.type}:subject:_id=${t.id}` }),
  },
  'conditional create': {
    create: true,
    to: (t, p) => ({
      method: 'POST',
      path: `/fhir/${t.type}`,
      headers: { 'if-none-exist': `_id=${t.id}` },
      body:
        t.type === 'Condition'
          ? { resourceType: t.type, code: { text: 'probe' }, subject: { reference: `Patient/${p}` } }
          : { resourceType: t.type, status: 'final', code: { text: 'probe' } },
    }),
  },
};

describeEachBackend('the checkpoint, path by path', (backend) => {
  let platform: TestPlatform;
  const patients = { own: '', other: '' };
  let tokens = new Map<string, string>();

  before(async () => {
    platform = await startTestPlatform(backend);
    platform.worker.stop();
    for (const which of ['own', 'other'] as const) {
      patients[which] = await platform.create({
        resourceType: 'Patient',
        name: [{ family: `Paths ${which}` }],
      } as Resource);
      await platform.create(consentHiding(patients[which], CONSENT[which]));
    }
    for (const target of TARGETS)
      target.id = await platform.create(resourceFor(target, patients[target.patient]));
    tokens = await tokensForEveryRole(platform, { roles: matrix.roles, ownPatient: patients.own });
  });
  after(() => platform.stop());

  test('every role × path × target answers as the oracle says', { timeout: 900_000 }, async () => {
    const wrong: string[] = [];
    let probes = 0;
    for (const role of rolesOn(backend.name))
      for (const [name, path] of Object.entries(PATHS))
        for (const target of TARGETS as (Target & { id: string })[]) {
          const patientId = patients[target.patient];
          const expected = expectation(role, target, path);
          const got = await reaches({
            platform,
            token: tokens.get(role)!,
            request: path.to(target, patientId),
            lookFor: path.viaPatient ? patientId : target.id,
          });
          probes++;
          if (got !== expected)
            wrong.push(
              `${role} × ${name} × ${target.key}: expected ${expected ? 'seen' : 'unseen'}, got ${got ? 'seen' : 'unseen'}`,
            );
        }
    assert.deepEqual(wrong, [], `${wrong.length} of ${probes} probes differ`);
  });
});

/**
 * Every role on server PostgreSQL. The checkpoint is the same code on both backends, and only
 * the SQL it sends can differ by backend: on PGlite, one role of each kind that shapes that SQL
 * (no labels; CLINICAL with consent; many labels with consent; every label without consent; the
 * patient's own; her proxy's) runs every path and target, not all eleven roles again.
 */
const PGLITE_ROLES = ['front-desk', 'nurse', 'physician', 'integration', 'patient', 'proxy'];
const rolesOn = (backend: 'pglite' | 'postgres') =>
  backend === 'postgres' ? Object.keys(matrix.roles) : PGLITE_ROLES;

/** The oracle: may this role see this target — and through this path at all? */
function expectation(role: string, target: Target, path: (typeof PATHS)[string]): boolean {
  const definition = matrix.roles[role]!;
  const ownOnly = definition.relation === 'own';
  // Bundles and conditional operations are not offered to patient apps at all.
  if (ownOnly && (path.bundle || path.create)) return false;
  const cell = (resourceType: string, interaction: Interaction, relation: Relation) =>
    decideCell(matrix, role, { resourceType, interaction, relation, patientData: true });
  if (path.create && !cell(target.type, 'c', 'any').startsWith('a')) return false;
  const relation = ownOnly && target.patient === 'own' ? 'own' : 'any';
  const interaction = path.viaPatient || path.create ? 's' : 'r';
  if (cell(target.type, interaction, relation) === 'deny') return false;
  if (path.viaPatient && cell('Patient', 's', relation) === 'deny') return false;
  if (!target.labels.every((code) => definition.labels.includes(code))) return false;
  const consent = CONSENT[target.patient];
  // A patient's own consent does not bind her; it binds her proxy (caregiver) like staff.
  const gated = (!ownOnly || role === 'proxy') && role !== 'integration';
  return !(gated && consent.type === target.type && consent.roles.includes(role));
}

async function reaches(options: {
  platform: TestPlatform;
  token: string;
  request: ReturnType<Path>;
  lookFor: string;
}): Promise<boolean> {
  const { platform, token, request, lookFor } = options;
  const response = await platform.fetch(request.path, {
    method: request.method,
    token,
    headers: { 'content-type': 'application/fhir+json', ...request.headers },
    body: request.body ? JSON.stringify(request.body) : undefined,
  });
  assert.ok(response.status < 500, `${request.method} ${request.path}: ${response.status}`);
  if (!response.ok) return false;
  return idsIn((await response.json()) as Resource).includes(lookFor);
}

function idsIn(resource: Resource | undefined): string[] {
  if (!resource) return [];
  if (resource.resourceType !== 'Bundle') return resource.id ? [resource.id] : [];
  return ((resource as Bundle).entry ?? []).flatMap((entry) => idsIn(entry.resource));
}

function resourceFor(target: Target, patientId: string): Resource {
  const subject = { reference: `Patient/${patientId}` };
  const meta = target.labels.length > 0 ? { security: target.labels.map(label) } : undefined;
  const code = { coding: [{ system: 'urn:paths', code: target.key }] };
  if (target.type === 'Condition') return { resourceType: 'Condition', meta, code, subject };
  return { resourceType: target.type, meta, status: 'final', code, subject } as Resource;
}
