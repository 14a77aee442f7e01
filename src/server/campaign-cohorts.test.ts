import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const DIABETES = { system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes type 2' };
const ASTHMA = { system: 'http://snomed.info/sct', code: '195967001', display: 'Asthma' };
const HBA1C_GAP = 'diabetes-hba1c-overdue';
const DAY = 86_400_000;

interface Preview {
  people: number;
  outcomes: { patient: string }[];
}

/**
 * A campaign's cohort chosen by where people are in their care (issue 16: "diabetics with an
 * open HbA1c gap"): the journey engine's stored stages and care-gap Tasks, alone or narrowing a
 * FHIR search, read through the coordinator's own store.
 */
describeEachBackend('campaign cohorts by journey stage and open care gap', (backend) => {
  let platform: TestPlatform;
  let coordinator = '';
  const people: Record<string, string> = {};
  before(async () => {
    platform = await startTestPlatform(backend, { QUIET_HOURS: 'off' });
    coordinator = await staffToken(platform, 'care-coordinator');
    people.dia = await person('Dia', { city: 'Springfield', condition: DIABETES });
    people.dox = await person('Dox', { city: 'Shelbyville', condition: DIABETES, medicated: true });
    people.dee = await person('Dee', { city: 'Springfield', condition: DIABETES, hba1cDaysAgo: 10 });
    people.asa = await person('Asa', { city: 'Springfield', condition: ASTHMA });
    await platform.worker.drain();
  });
  after(() => platform.stop());

  async function person(
    given: string,
    facts: { city: string; condition: object; medicated?: boolean; hba1cDaysAgo?: number },
  ): Promise<string> {
    const id = await platform.create({
      resourceType: 'Patient',
      name: [{ family: 'Cohortson', given: [given] }],
      birthDate: `196${given.length}-0${given.charCodeAt(1) % 9 || 1}-1${given.charCodeAt(2) % 10}`,
      address: [{ city: facts.city }],
      telecom: [{ system: 'phone', use: 'mobile', value: `+1555020${given.charCodeAt(1)}` }],
    } as never);
    const subject = { reference: `Patient/${id}` };
    await platform.create({
      resourceType: 'Condition',
      subject,
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { coding: [facts.condition] },
    } as never);
    if (facts.medicated)
      await platform.create({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject,
        authoredOn: new Date(Date.now() - 30 * DAY).toISOString(),
        medicationCodeableConcept: { text: 'metformin 500 mg' },
      } as never);
    if (facts.hba1cDaysAgo !== undefined)
      await platform.create({
        resourceType: 'Observation',
        status: 'final',
        subject,
        code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
        effectiveDateTime: new Date(Date.now() - facts.hba1cDaysAgo * DAY).toISOString(),
        valueQuantity: { value: 6.9, unit: '%' },
      } as never);
    return id;
  }

  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    platform.fetch(path, { method: 'POST', token: coordinator, headers, body: JSON.stringify(body) });
  const plan = { name: 'HbA1c recall', purpose: 'care-gap', perHour: 600 };
  async function cohortOf(cohort: object): Promise<string[]> {
    const response = await post('/api/engagement/campaigns/preview', { ...plan, cohort });
    assert.equal(response.status, 200, await response.clone().text());
    const preview = (await response.json()) as Preview;
    const names = Object.fromEntries(Object.entries(people).map(([name, id]) => [`Patient/${id}`, name]));
    return preview.outcomes.map((row) => names[row.patient] ?? row.patient).sort();
  }

  test('an open care gap alone, and narrowing a FHIR search', async () => {
    assert.deepEqual(await cohortOf({ careGap: HBA1C_GAP }), ['dia', 'dox']);
    assert.deepEqual(await cohortOf({ search: 'Patient?address-city=Springfield', careGap: HBA1C_GAP }), [
      'dia',
    ]);
  });

  test('a journey stage now, alone and with a care gap', async () => {
    assert.deepEqual(await cohortOf({ journey: 'chronic-care', stage: 'diagnosed' }), ['asa', 'dee', 'dia']);
    assert.deepEqual(await cohortOf({ journey: 'chronic-care' }), ['asa', 'dee', 'dia', 'dox']);
    assert.deepEqual(await cohortOf({ journey: 'chronic-care', stage: 'care-planned', careGap: HBA1C_GAP }), [
      'dox',
    ]);
  });

  test('the launched campaign keeps how its people were chosen, in words', async () => {
    const launched = await post(
      '/api/engagement/campaigns',
      { ...plan, startAt: new Date(Date.now() + 30 * DAY).toISOString(), cohort: { careGap: HBA1C_GAP } },
      { 'idempotency-key': 'hba1c-recall-1' },
    );
    assert.equal(launched.status, 201, await launched.clone().text());
    const report = (await (
      await platform.fetch('/api/engagement/campaigns/hba1c-recall-1', { token: coordinator })
    ).json()) as { cohort: string; people: number; requests: { scheduled: number } };
    assert.equal(report.cohort, 'open care gap: Diabetes: no HbA1c in 6 months');
    assert.equal(report.people, 2);
    assert.equal(report.requests.scheduled, 2);
    const choices = (await (
      await platform.fetch('/api/engagement/campaign-cohorts', { token: coordinator })
    ).json()) as { journeys: { id: string; stages: { code: string }[] }[]; careGaps: { id: string }[] };
    assert.ok(choices.careGaps.some((gap) => gap.id === HBA1C_GAP));
    assert.ok(!choices.careGaps.some((gap) => gap.id === 'missed-appointment'), 'pain points are not gaps');
    assert.deepEqual(
      choices.journeys.find((journey) => journey.id === 'chronic-care')?.stages.map((stage) => stage.code),
      ['diagnosed', 'care-planned', 'monitored'],
    );
  });

  test('an unknown journey, stage or care gap is a 400 naming it, never an empty cohort', async () => {
    const cases: [object, string][] = [
      [{ journey: 'nope' }, 'cohort.journey'],
      [{ journey: 'chronic-care', stage: 'nope' }, 'cohort.stage'],
      [{ stage: 'diagnosed' }, 'cohort.journey'],
      [{ careGap: 'missed-appointment' }, 'cohort.careGap'],
      [{ careGap: 42 }, 'cohort.careGap'],
      [{}, 'cohort'],
      [{ search: 'Practitioner?name=x', careGap: HBA1C_GAP }, 'cohort'],
    ];
    for (const [cohort, field] of cases) {
      const response = await post('/api/engagement/campaigns/preview', { ...plan, cohort });
      assert.equal(response.status, 400, `${JSON.stringify(cohort)}: ${await response.clone().text()}`);
      const outcome = (await response.json()) as OperationOutcome;
      assert.deepEqual(outcome.issue[0]?.expression, [field], JSON.stringify(cohort));
    }
  });
});
