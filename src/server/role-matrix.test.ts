import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { decideCell, loadRoleMatrix, type Decision, type Interaction } from '../access/index.ts';
import { hasPatientCompartment } from '../fhir/compartment.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { tokensForEveryRole } from './testing/role-tokens.ts';

/**
 * The role matrix (`src/access/policy/role-matrix.json`), tested cell by cell through the real
 * HTTP API against an oracle that reads the same file: for every role, resource type (one or
 * more per group), interaction and relation to the patient, the API allows, masks or denies
 * exactly as the file says.
 */
const matrix = loadRoleMatrix();
const TYPES = [
  'Patient',
  'RelatedPerson',
  'Appointment',
  'Communication',
  'Task',
  'Flag',
  'QuestionnaireResponse',
  'Consent',
  'Encounter',
  'Condition',
  'MedicationRequest',
  'Immunization',
  'Observation',
  'DiagnosticReport',
  'ServiceRequest',
  'Coverage',
  'Practitioner',
  'Organization',
  'Location',
];
const INTERACTIONS: Interaction[] = ['r', 's', 'u', 'c', 'd'];

/** A small valid resource of each type, in the given patient's compartment. */
function sample(type: string, patientId: string): Resource {
  const patient = { reference: `Patient/${patientId}` };
  const code = { text: 'matrix test' };
  const shapes: Record<string, object> = {
    Patient: { name: [{ family: 'Matrix', given: ['Pat'] }] },
    RelatedPerson: { patient },
    Appointment: {
      status: 'booked',
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T09:15:00Z',
      participant: [{ actor: patient, status: 'accepted' }],
    },
    Communication: { status: 'completed', subject: patient },
    Task: { status: 'requested', intent: 'order', for: patient },
    Flag: { status: 'active', code, subject: patient },
    QuestionnaireResponse: { status: 'completed', subject: patient },
    Consent: {
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
      patient,
    },
    Encounter: {
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: patient,
      reasonCode: [code],
    },
    Condition: { subject: patient, code },
    MedicationRequest: {
      status: 'active',
      intent: 'order',
      subject: patient,
      medicationCodeableConcept: code,
    },
    Immunization: { status: 'completed', vaccineCode: code, patient, occurrenceDateTime: '2026-01-01' },
    Observation: { status: 'final', code, subject: patient },
    DiagnosticReport: { status: 'final', code, subject: patient },
    ServiceRequest: { status: 'active', intent: 'order', subject: patient },
    Coverage: { status: 'active', beneficiary: patient, payor: [{ display: 'Acme Health' }] },
    Practitioner: { name: [{ family: 'Matrix' }] },
    Organization: { name: 'Matrix clinic' },
    Location: { name: 'Matrix room' },
  };
  return { resourceType: type, ...shapes[type] } as Resource;
}

describeEachBackend('role matrix, cell by cell over HTTP', (backend) => {
  let platform: TestPlatform;
  let tokens = new Map<string, string>();
  const ids: Record<'own' | 'other', Record<string, string>> = { own: {}, other: {} };
  const patients = { own: '', other: '' };

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await platform.fetch(path, {
      method,
      headers: { 'content-type': 'application/fhir+json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as Resource & { id: string };
  };
  const create = (resource: Resource) => admin('POST', `/fhir/${resource.resourceType}`, resource);
  const instanceOf = async (type: string, patientId: string) =>
    type === 'Patient' ? patientId : (await create(sample(type, patientId))).id;

  before(async () => {
    platform = await startTestPlatform(backend);
    platform.worker.stop();
    patients.own = (await create(sample('Patient', ''))).id;
    patients.other = (await create(sample('Patient', ''))).id;
    for (const type of TYPES) {
      ids.own[type] = await instanceOf(type, patients.own);
      ids.other[type] = await instanceOf(type, patients.other);
    }
    tokens = await tokensForEveryRole(platform, { roles: matrix.roles, ownPatient: patients.own });
  });
  after(() => platform.stop());

  /** What the API did, as a decision: allowed (and masked?) or denied. */
  async function attempt(
    role: string,
    type: string,
    interaction: Interaction,
    relation: 'own' | 'other',
  ): Promise<Decision> {
    const token = tokens.get(role)!;
    const id = ids[relation][type]!;
    const patientId = patients[relation];
    const call = (method: string, path: string, body?: unknown) =>
      platform.fetch(path, {
        method,
        token,
        headers: { 'content-type': 'application/fhir+json' },
        body: body ? JSON.stringify(body) : undefined,
      });
    let response: Response;
    switch (interaction) {
      case 'r':
        response = await call('GET', `/fhir/${type}/${id}`);
        break;
      case 's': {
        response = await call('GET', `/fhir/${type}?_id=${id}`);
        if (response.status !== 200) break;
        const bundle = (await response.json()) as { entry?: { resource: Resource }[] };
        const found = bundle.entry?.find((entry) => entry.resource.id === id)?.resource;
        return found ? (isMasked(found) ? 'mask' : 'allow') : 'deny';
      }
      case 'u': {
        const current = await admin('GET', `/fhir/${type}/${id}`);
        response = await call('PUT', `/fhir/${type}/${id}`, current);
        break;
      }
      case 'c':
        response = await call('POST', `/fhir/${type}`, sample(type, patientId));
        break;
      case 'd': {
        const fresh =
          type === 'Patient' ? await create(sample('Patient', '')) : await create(sample(type, patientId));
        response = await call('DELETE', `/fhir/${type}/${fresh.id}`);
        break;
      }
    }
    if (response.status >= 200 && response.status < 300) {
      if (interaction === 'r') return isMasked((await response.json()) as Resource) ? 'mask' : 'allow';
      return 'allow';
    }
    assert.ok(
      [403, 404].includes(response.status),
      `${role} ${interaction} ${type} (${relation}): ${response.status} ${await response.text()}`,
    );
    return 'deny';
  }

  test('every cell answers as the matrix file says', { timeout: 600_000 }, async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const [role, definition] of Object.entries(matrix.roles)) {
      const relations: ('own' | 'other')[] = definition.relation === 'own' ? ['own', 'other'] : ['other'];
      for (const type of TYPES)
        for (const interaction of INTERACTIONS)
          for (const relation of relations) {
            const patientData = hasPatientCompartment(type);
            // A new Patient is nobody's own record: for one-patient roles, creating one is "other".
            const effective =
              type === 'Patient' && interaction === 'c' ? 'any' : relation === 'own' ? 'own' : 'any';
            const expected = decideCell(matrix, role, {
              resourceType: type,
              interaction,
              relation: effective,
              patientData,
            });
            // A Patient deleted or created by a one-patient caller can only ever be another's.
            const actual = await attempt(role, type, interaction, relation);
            cells++;
            if (actual !== expected)
              wrong.push(
                `${role} × ${type} × ${interaction} × ${relation}: expected ${expected}, got ${actual}`,
              );
          }
    }
    assert.deepEqual(wrong, [], `${wrong.length} of ${cells} cells differ`);
    assert.ok(cells > 1000, `${cells} cells`);
  });
});

function isMasked(resource: Resource): boolean {
  return resource.meta?.security?.some((label) => label.code === 'REDACTED') ?? false;
}
