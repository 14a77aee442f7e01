import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const PSY = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' };

/**
 * Sensitive data and consent through the real API: labelled data needs a role granted the
 * label (and totals do not count it); a patient's privacy Consent hides what it says from
 * whom it says; break-glass opens one patient for a while, with a reason, flagged in audit and
 * listed for the privacy officer.
 */
describeEachBackend('sensitive data, consent and break-glass', (backend) => {
  let platform: TestPlatform;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const create = (resource: { resourceType: string; [element: string]: unknown }) =>
    platform.create(resource);
  const as = (role: string, path: string, init: RequestInit = {}) =>
    platform.fetch(path, { ...init, token: tokens[role], headers: { 'content-type': 'application/json' } });

  before(async () => {
    platform = await startTestPlatform(backend);
    ids.pat = await create({ resourceType: 'Patient', name: [{ family: 'Labelled' }] });
    ids.restricted = await create({ resourceType: 'Patient', name: [{ family: 'Private' }] });
    const subject = (id: string) => ({ reference: `Patient/${id}` });
    ids.plain = await create({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'BP' },
      subject: subject(ids.pat),
    });
    ids.psy = await create({
      resourceType: 'Observation',
      meta: { security: [PSY] },
      status: 'final',
      code: { text: 'PHQ-9' },
      subject: subject(ids.pat),
    });
    ids.privateLab = await create({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'HIV test' },
      subject: subject(ids.restricted),
    });
    await create({
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      policyRule: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTOUT' }],
      },
      patient: subject(ids.restricted),
      provision: {
        type: 'permit',
        provision: [
          {
            type: 'deny',
            actor: [
              {
                role: { coding: [{ system: 'https://throughline.dev/fhir/CodeSystem/role', code: 'nurse' }] },
                reference: { display: 'nurses' },
              },
            ],
            class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Observation' }],
          },
        ],
      },
    });
    for (const role of ['nurse', 'physician', 'front-desk', 'privacy-officer'])
      tokens[role] = await staffToken(platform, role);
  });
  after(() => platform.stop());

  test('labelled data needs the label: hidden as not found, and not counted', async () => {
    assert.equal((await as('nurse', `/fhir/Observation/${ids.psy}`)).status, 404);
    assert.equal((await as('physician', `/fhir/Observation/${ids.psy}`)).status, 200);
    const nurse = (await (
      await as('nurse', `/fhir/Observation?patient=${ids.pat}&_total=accurate`)
    ).json()) as Bundle;
    assert.deepEqual(
      nurse.entry?.map((e) => e.resource?.id),
      [ids.plain],
    );
    assert.equal(nurse.total, 1, 'the total does not count what the nurse may not see');
    const doctor = (await (
      await as('physician', `/fhir/Observation?patient=${ids.pat}&_total=accurate`)
    ).json()) as Bundle;
    assert.equal(doctor.total, 2);
  });

  test("a patient's privacy consent hides what it names from whom it names", async () => {
    assert.equal((await as('nurse', `/fhir/Observation/${ids.privateLab}`)).status, 404);
    assert.equal((await as('physician', `/fhir/Observation/${ids.privateLab}`)).status, 200);
    const search = (await (
      await as('nurse', `/fhir/Observation?patient=${ids.restricted}`)
    ).json()) as Bundle;
    assert.deepEqual(search.entry ?? [], []);
    assert.equal(
      (await as('nurse', `/fhir/Patient/${ids.restricted}`)).status,
      200,
      'only Observations are restricted',
    );
  });

  test('break-glass: a reason, a time limit, every access flagged, the privacy officer sees it', async () => {
    const noReason = await as('nurse', '/api/access/break-glass', {
      method: 'POST',
      body: JSON.stringify({ patient: ids.pat }),
    });
    assert.equal(noReason.status, 400);
    const frontDesk = await as('front-desk', '/api/access/break-glass', {
      method: 'POST',
      body: JSON.stringify({ patient: ids.pat, reason: 'Patient collapsed in the waiting room' }),
    });
    assert.equal(frontDesk.status, 403);
    for (const patient of [ids.pat, ids.restricted]) {
      const granted = await as('nurse', '/api/access/break-glass', {
        method: 'POST',
        body: JSON.stringify({ patient, reason: 'Unresponsive in clinic, need history', minutes: 15 }),
      });
      assert.equal(granted.status, 201, await granted.clone().text());
    }
    // The next request picks the grants up (they are read per request).
    assert.equal((await as('nurse', `/fhir/Observation/${ids.psy}`)).status, 200);
    assert.equal((await as('nurse', `/fhir/Observation/${ids.privateLab}`)).status, 200);
    const flagged = await platform.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND resource_id = $1 AND detail LIKE 'break-glass%'`,
      [ids.psy],
    );
    assert.equal(flagged.rows[0]?.n, 1);
    const list = (await (await as('privacy-officer', '/api/access/break-glass')).json()) as {
      grants: { patient: string; reason: string; active: boolean }[];
    };
    assert.deepEqual(list.grants.map((g) => g.patient).sort(), [ids.pat, ids.restricted].sort());
    assert.ok(list.grants.every((g) => g.active && g.reason.length > 10));
    assert.equal((await as('nurse', '/api/access/break-glass')).status, 403);
  });
});
