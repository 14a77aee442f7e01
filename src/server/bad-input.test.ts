import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Issue 12: a NUL byte anywhere a caller can put text reached PostgreSQL (which refuses U+0000
 * in text) and was answered 500; bad break-glass input was a 500, and break-glass told a role
 * without the right whether a patient exists. All of it is a 4xx naming what was wrong.
 */
describe('bad input is a 4xx naming what was wrong [pglite]', () => {
  let platform: TestPlatform;
  let patientId: string;
  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
    patientId = await platform.create({ resourceType: 'Patient', name: [{ family: 'Nul' }] } as {
      resourceType: string;
    });
  });
  after(() => platform.stop());

  const expressionOf = async (response: Response) =>
    ((await response.json()) as OperationOutcome).issue[0]?.expression?.[0];

  async function assertRefused(response: Response, expression: string) {
    const text = await response.clone().text();
    assert.equal(response.status, 400, text);
    assert.equal(await expressionOf(response), expression, text);
  }

  test('NUL in every search parameter type, and in _id, is a 400 naming the parameter', async () => {
    const searches: [string, string][] = [
      ['/fhir/Patient?name=a%00b', 'name'],
      ['/fhir/Patient?gender=%00', 'gender'],
      ['/fhir/Patient?birthdate=%00', 'birthdate'],
      ['/fhir/Patient?general-practitioner=%00', 'general-practitioner'],
      ['/fhir/RiskAssessment?probability=%00', 'probability'],
      ['/fhir/Patient?_id=%00', '_id'],
      ['/fhir/Patient?name%00=x', 'name'],
    ];
    for (const [path, expression] of searches) await assertRefused(await platform.fetch(path), expression);
    const form = await platform.fetch('/fhir/Patient/_search', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'family=%00',
    });
    await assertRefused(form, 'family');
  });

  test('NUL in sign-in, token, authorize and audit parameters is a 400, not a 500', async () => {
    const json = { 'content-type': 'application/json' };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const login = (body: object) =>
      fetch(`${platform.url}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify(body) });
    await assertRefused(await login({ email: 'a\u0000@x.test', password: 'p' }), 'email');
    await assertRefused(await login({ email: 'a@x.test', password: '\u0000' }), 'password');
    const token = await fetch(`${platform.url}/oauth2/token`, {
      method: 'POST',
      headers: form,
      body: 'grant_type=client_credentials&client_id=%00&client_secret=x',
    });
    await assertRefused(token, 'client_id');
    const authorize = await fetch(
      `${platform.url}/oauth2/authorize?response_type=code&client_id=%00&redirect_uri=x`,
      { redirect: 'manual' },
    );
    await assertRefused(authorize, 'client_id');
    await assertRefused(await platform.fetch('/api/audit?user=%00'), 'user');
  });

  test('NUL inside a FHIR resource is a 400 naming the element', async () => {
    const response = await platform.fetch('/fhir/Patient', {
      method: 'POST',
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'A', given: ['x\u0000'] }] }),
    });
    await assertRefused(response, 'Patient.name[0].given[0]');
    // An escaped backslash followed by "u0000" is ordinary text.
    const literal = await platform.fetch('/fhir/Patient', {
      method: 'POST',
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'back\\u0000slash' }] }),
    });
    assert.equal(literal.status, 201, await literal.text());
  });

  test('break-glass: 403 for a role without it whatever the patient; a numeric patient is a 400', async () => {
    const frontDesk = await staffToken(platform, 'front-desk');
    const nurse = await staffToken(platform, 'nurse');
    const breakGlass = (token: string, body: object) =>
      platform.fetch('/api/access/break-glass', {
        method: 'POST',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const reason = 'Collapsed in the waiting room, need history';
    for (const patient of [patientId, 'no-such-patient'])
      assert.equal((await breakGlass(frontDesk, { patient, reason })).status, 403, patient);
    assert.equal((await breakGlass(nurse, { patient: 'no-such-patient', reason })).status, 404);
    await assertRefused(await breakGlass(nurse, { patient: 12345, reason }), 'patient');
    await assertRefused(await breakGlass(nurse, { patient: patientId, reason: 42 }), 'reason');
    await assertRefused(await breakGlass(nurse, { patient: patientId, reason, minutes: 'x' }), 'minutes');
  });
});
