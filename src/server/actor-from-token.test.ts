import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Provenance, Task } from '@medplum/fhirtypes';
import { proposeReview } from '../identity/index.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Who did it comes from the token, never from the request (issue 13 item 6): a forged
 * `x-performed-by` header changes nothing in the merge Provenance or the review decision.
 */
const FORGED = 'Dr. Someone Else';

test('merge, unmerge and review decisions record the signed-in caller, whatever a header says', async (t) => {
  const platform: TestPlatform = await startTestPlatform(pgliteBackend);
  t.after(() => platform.stop());
  const token = await staffToken(platform, 'care-coordinator');
  const userId = (
    await platform.db.query<{ id: string }>(
      `SELECT id FROM staff_user WHERE email = 'care-coordinator@staff.test'`,
    )
  ).rows[0]!.id;
  const as = (path: string, body: unknown) =>
    platform.fetch(path, {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json', 'x-performed-by': FORGED },
      body: JSON.stringify(body),
    });
  const a = await platform.create({
    resourceType: 'Patient',
    name: [{ family: 'Actor', given: ['Ann'] }],
  } as never);
  const b = await platform.create({
    resourceType: 'Patient',
    name: [{ family: 'Actor', given: ['Anne'] }],
  } as never);
  const merged = await as('/fhir/Patient/$merge', {
    resourceType: 'Parameters',
    parameter: [
      { name: 'source-patient', valueReference: { reference: `Patient/${a}` } },
      { name: 'target-patient', valueReference: { reference: `Patient/${b}` } },
    ],
  });
  assert.equal(merged.status, 200, await merged.clone().text());
  const provenances = (await (await platform.fetch(`/fhir/Provenance?target=Patient/${a}`)).json()) as Bundle;
  const who = (provenances.entry?.[0]?.resource as Provenance).agent[0]?.who;
  assert.equal(who?.identifier?.value, userId);
  assert.notEqual(who?.display, FORGED);

  const c = await platform.create({
    resourceType: 'Patient',
    name: [{ family: 'Actor', given: ['Cy'] }],
  } as never);
  const d = await platform.create({
    resourceType: 'Patient',
    name: [{ family: 'Actor', given: ['Cyd'] }],
  } as never);
  const { item } = await proposeReview(platform.repository, { a: c, b: d, score: 0.5, explanation: [] });
  const decided = await as(`/api/identity/review/${item.taskId}/decision`, { decision: 'reject' });
  assert.equal(decided.status, 200, await decided.clone().text());
  const task = ((await decided.json()) as { task: Task }).task;
  assert.equal(task.owner?.identifier?.value, userId);
  assert.notEqual(task.owner?.display, FORGED);
});
