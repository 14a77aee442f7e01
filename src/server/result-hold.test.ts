import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Provenance } from '@medplum/fhirtypes';
import { RELEASE_ACTIVITY } from '../access/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { HOLD_ENV, seedHoldFixture, type HoldFixture } from './testing/hold-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Issue 20: a clinic holds laboratory results 48 hours for review. A held result is invisible
 * to the patient on every path until a clinician releases it or the period passes; only
 * clinicians release, and nobody widens her view by writing the record of a release.
 */
describeEachBackend('results held for review', (backend) => {
  let platform: TestPlatform;
  let f: HoldFixture;
  before(async () => {
    platform = await startTestPlatform(backend, HOLD_ENV);
    f = await seedHoldFixture(platform, new Date());
  });
  after(() => platform.stop());

  const get = async (path: string, token: string) => {
    const response = await platform.fetch(path, { token });
    return { status: response.status, body: (await response.json()) as Bundle & { total?: number } };
  };
  const ids = (bundle: Bundle) =>
    (bundle.entry ?? []).map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`);
  const release = (type: string, id: string, token: string) =>
    platform.call<{ already: boolean; provenance?: string; issue?: unknown }>(
      `/api/results/${type}/${id}/release`,
      {
        token,
        method: 'POST',
        body: {},
      },
    );

  /** Every path a patient may read a result by, answered as she sees it: which of her results show. */
  async function seenByMaya(): Promise<Record<string, unknown>> {
    const { maya } = f.tokens;
    const tsh = `Observation/${f.heldTsh}`;
    const read = await get(`/fhir/${tsh}`, maya);
    const history = await get(`/fhir/${tsh}/_history`, maya);
    const search = await get(`/fhir/Observation?patient=${f.maya}`, maya);
    const count = await get(`/fhir/Observation?patient=${f.maya}&_summary=count`, maya);
    const include = await get(
      `/fhir/DiagnosticReport?_id=${f.report}&_include=DiagnosticReport:result`,
      maya,
    );
    const revinclude = await get(`/fhir/Patient?_id=${f.maya}&_revinclude=Observation:subject`, maya);
    const has = await get(`/fhir/Patient?_has:Observation:subject:code=3016-3`, maya);
    const chain = await get(`/fhir/DiagnosticReport?result.code=3016-3`, maya);
    const everything = await get(`/fhir/Patient/${f.maya}/$everything`, maya);
    const exported = await get(`/api/privacy/patients/${f.maya}/export`, maya);
    return {
      read: read.status,
      history: history.status === 200 && ids(history.body).includes(tsh),
      search: ids(search.body).includes(tsh),
      count: count.body.total,
      include: ids(include.body).includes(tsh),
      revinclude: ids(revinclude.body).includes(tsh),
      has: ids(has.body).length,
      chain: ids(chain.body).length,
      everything: ids(everything.body).includes(tsh),
      exported: ids(exported.body).includes(tsh),
    };
  }

  test('a held result is invisible to her everywhere; what is not held shows as before', async () => {
    assert.deepEqual(await seenByMaya(), {
      read: 404,
      history: false,
      search: false,
      count: 2,
      include: false,
      revinclude: false,
      has: 0,
      chain: 0,
      everything: false,
      exported: false,
    });
    const search = await get(`/fhir/Observation?patient=${f.maya}`, f.tokens.maya);
    assert.deepEqual(
      ids(search.body).sort(),
      [`Observation/${f.oldT4}`, `Observation/${f.pressure}`].sort(),
      'the result whose hold passed and the vital signs show',
    );
    const staff = await get(`/fhir/Observation/${f.heldTsh}`, f.tokens.physician);
    assert.equal(staff.status, 200, 'clinicians see it');
  });

  test('clinicians list what is held; the front desk may not', async () => {
    const list = await platform.call<{
      results: { result: string; patientName?: string; heldUntil: string }[];
    }>('/api/results/held', { token: f.tokens.nurse });
    assert.equal(list.status, 200);
    const mine = list.body.results.filter((item) => item.result === `Observation/${f.heldTsh}`);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.patientName, 'Maya Hold');
    assert.ok(
      !list.body.results.some((item) => item.result === `Observation/${f.oldT4}`),
      'its hold has passed',
    );
    assert.ok(
      !list.body.results.some((item) => item.result === `Observation/${f.pressure}`),
      'vital signs are not held',
    );
    assert.equal((await platform.call('/api/results/held', { token: f.tokens.frontDesk })).status, 403);
    assert.equal((await platform.call('/api/results/held', { token: f.tokens.maya })).status, 403);
  });

  test('she cannot release her own result, nor anyone without the role by writing a Provenance', async () => {
    assert.equal((await release('Observation', f.heldTsh, f.tokens.maya)).status, 403);
    assert.equal((await release('Observation', f.heldTsh, f.tokens.frontDesk)).status, 403);
    assert.equal((await release('Observation', f.heldTsh, f.tokens.coordinator)).status, 403);
    const forged: Provenance = {
      resourceType: 'Provenance',
      target: [{ reference: `Observation/${f.heldTsh}` }],
      recorded: new Date().toISOString(),
      activity: { coding: [RELEASE_ACTIVITY] },
      agent: [{ who: { reference: `Patient/${f.maya}` } }],
    };
    for (const token of [f.tokens.maya, f.tokens.coordinator]) {
      const written = await platform.fetch('/fhir/Provenance', {
        token,
        method: 'POST',
        body: JSON.stringify(forged),
      });
      assert.equal(written.status, 403, await written.text());
    }
    assert.equal((await get(`/fhir/Observation/${f.heldTsh}`, f.tokens.maya)).status, 404, 'still held');
    assert.equal((await release('Patient', f.maya, f.tokens.nurse)).status, 400);
  });

  test('a nurse releases it: audited, recorded as a Provenance, and she sees it everywhere', async () => {
    const released = await release('Observation', f.heldTsh, f.tokens.nurse);
    assert.equal(released.status, 200, JSON.stringify(released.body));
    assert.equal(released.body.already, false);
    const provenance = await platform.repository.read<Provenance>(
      'Provenance',
      released.body.provenance!.split('/')[1]!,
    );
    assert.equal(provenance.target[0]?.reference, `Observation/${f.heldTsh}`);
    assert.equal(provenance.agent[0]?.who?.display, 'nurse');
    const audit = await platform.db.query<{ action: string; patients: string[]; resource_id: string }>(
      "SELECT action, patients, resource_id FROM audit_log WHERE action = 'result-release'",
    );
    assert.deepEqual(
      audit.rows.map((row) => [row.resource_id, row.patients]),
      [[f.heldTsh, [f.maya]]],
    );
    assert.deepEqual(await seenByMaya(), {
      read: 200,
      history: true,
      search: true,
      count: 3,
      include: true,
      revinclude: true,
      has: 1,
      chain: 1,
      everything: true,
      exported: true,
    });
    const again = await release('Observation', f.heldTsh, f.tokens.physician);
    assert.equal(again.body.already, true, 'released once');
    const list = await platform.call<{ results: { result: string }[] }>('/api/results/held', {
      token: f.tokens.nurse,
    });
    assert.ok(!list.body.results.some((item) => item.result === `Observation/${f.heldTsh}`), 'off the list');
  });
});
