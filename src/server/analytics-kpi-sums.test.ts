import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle, Communication, Consent } from '@medplum/fhirtypes';
import { scopeRepository } from '../access/index.ts';
import { computeKpis, kpisFromFacts, type KpiWindow } from '../analytics/index.ts';
import { seedDemoClinic } from '../demo/index.ts';
import { fixedClock } from '../kernel/clock.ts';
import { catchUpSubscriber } from '../store/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { analyticsService, kpiFactsReaction } from './analytics-service.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { privacyConsent } from '../fhir/privacy-consent.ts';

const now = new Date('2026-11-20T12:00:00Z');
const months: KpiWindow = { period: 'month', from: '2025-11-20', to: '2026-11-20' };
const weeks: KpiWindow = { period: 'week', from: '2026-08-28', to: '2026-11-20' };

/**
 * The per-bucket sums (`kpi_sum`) follow the facts whatever the order and size of the batches:
 * a reply handled in a later batch than its attempt, a consent after its patient, a waitlist
 * fill after the cancellation it fills, deletions and updates, and a replay of every event.
 */
describeEachBackend('KPI sums: kept in step with the facts', (backend) => {
  let platform: TestPlatform;
  const catchUp = (batchSize: number) =>
    catchUpSubscriber(platform.db, kpiFactsReaction(platform), { batchSize });
  const assertEqualToFullRead = async (label: string, at = now) => {
    const repository = scopeRepository(platform.repository, {
      principal: analyticsService,
      context: { requestId: 'test' },
      auditDb: platform.db,
    });
    for (const window of [months, weeks]) {
      const expected = await computeKpis(repository, { window, now: at });
      assert.deepEqual(
        await kpisFromFacts(platform.db, { window, now: at }),
        expected,
        `${label}, ${window.period}`,
      );
    }
    assert.deepEqual(await rollUpsApart(platform), [], `${label}: each roll-up row is the sum of its rows`);
  };
  const sums = async () =>
    (
      await platform.db.query<Record<string, unknown>>(
        `SELECT * FROM kpi_sum WHERE members <> 0 OR in_numerator <> 0
         ORDER BY kpi, period, bucket, grp, location, practitioner, channel, bin`,
      )
    ).rows;
  before(async () => {
    platform = await startTestPlatform(
      backend,
      { BACKGROUND_WORKER: 'off' },
      { clock: fixedClock(now.toISOString()) },
    );
    await seedDemoClinic(platform.repository, { patients: 40, seed: 5, now });
  });
  after(() => platform.stop());

  test('built seven events at a time, the sums answer what the full read answers', async () => {
    assert.ok((await catchUp(7)) > 500);
    await assertEqualToFullRead('batches of 7');
  });

  test('a replay of every event changes no sum', async () => {
    const before = await sums();
    await platform.db.query(
      `UPDATE event_subscription SET last_tx_id = '0', last_seq = 0 WHERE subscriber = 'analytics-kpi-facts'`,
    );
    assert.ok((await catchUp(1000)) > 500);
    assert.deepEqual(await sums(), before);
  });

  test('deleting replies and consents, cancelling and missing visits move the sums with the facts', async () => {
    const replies = (await all<Communication>(platform, 'Communication')).filter((c) => c.inResponseTo);
    const consents = await all<Consent>(platform, 'Consent');
    const visits = await all<Appointment>(platform, 'Appointment');
    assert.ok(replies.length > 2 && consents.length > 2 && visits.length > 4, 'the demo clinic has them');
    for (const reply of replies.slice(0, 3)) await platform.repository.delete('Communication', reply.id!);
    for (const consent of consents.slice(0, 2)) await platform.repository.delete('Consent', consent.id!);
    const fulfilled = visits.filter((visit) => visit.status === 'fulfilled');
    const booked = visits.filter((visit) => visit.status === 'booked');
    for (const visit of fulfilled.slice(0, 2))
      await platform.repository.update({ ...visit, status: 'noshow' });
    for (const visit of booked.slice(0, 2))
      await platform.repository.update({ ...visit, status: 'cancelled' });
    assert.ok((await catchUp(2)) >= 7);
    await assertEqualToFullRead('after the changes');
  });

  test('each link, written after what it joins, moves the sums it joins (one catch-up per write)', async () => {
    for (const [label, write] of linkSteps()) {
      await write(platform);
      assert.ok((await catchUp(1000)) >= 1, label);
      await assertEqualToFullRead(label);
    }
  });

  test('a fill written, lengthened and deleted moves chronic-care adherence, read from its sums', async () => {
    const november = async () => {
      const kpis = await kpisFromFacts(platform.db, { window: months, now });
      const bucket = kpis.find((kpi) => kpi.id === 'chronic-adherence')!.buckets.at(-1)!;
      const kept = await platform.db.query<{ members: string; in_numerator: string }>(
        `SELECT members, in_numerator FROM kpi_sum WHERE kpi = 'chronic-adherence' AND period = 'month'
           AND bucket = '2026-11' AND location = '*' AND grp = 'sums-drug' AND members <> 0`,
      );
      const sums = kept.rows.map((row) => [Number(row.members), Number(row.in_numerator)]);
      return { figure: [bucket.denominator, bucket.numerator], sums };
    };
    const start = await november();
    const steps: [string, (p: TestPlatform) => Promise<unknown>, number[][]][] = [
      [
        'a chronic prescription and two fills: measured, 60 of 173 days',
        (p) => prescribedAndFilled(p, 30),
        [[1, 0]],
      ],
      [
        'the second fill lengthened to 150 days: covered',
        (p) => put(p, fill('sums-f2', '2026-07-01', 150)),
        [[1, 1]],
      ],
      [
        'the second fill deleted: one fill, not measured',
        (p) => p.repository.delete('MedicationDispense', 'sums-f2'),
        [],
      ],
    ];
    for (const [label, write, sums] of steps) {
      await write(platform);
      assert.ok((await catchUp(1000)) >= 1, label);
      const now = await november();
      assert.deepEqual(now.sums, sums, `${label}: its sums`);
      const [members = 0, inNumerator = 0] = sums[0] ?? [];
      assert.deepEqual(now.figure, [start.figure[0]! + members, start.figure[1]! + inNumerator], label);
      await assertEqualToFullRead(label);
    }
    // Days pass: November closes (measured to its last day), then back to the 20th (the daily catch-up).
    await prescribedAndFilled(platform, 30);
    await catchUp(1000);
    await assertEqualToFullRead('on 2 December', new Date('2026-12-02T12:00:00Z'));
    await assertEqualToFullRead('on 20 November again');
  });
});

/**
 * The roll-up rows (location, practitioner, channel `*`) whose members or numerator differ from
 * the sum of the rows they roll up: none, whatever was written.
 */
async function rollUpsApart(platform: TestPlatform) {
  const result = await platform.db.query(
    `SELECT kpi, period, bucket, grp, bin FROM kpi_sum GROUP BY kpi, period, bucket, grp, bin
     HAVING sum(members) FILTER (WHERE location = '*') IS DISTINCT FROM sum(members) FILTER (WHERE location <> '*')
       OR sum(in_numerator) FILTER (WHERE location = '*') IS DISTINCT FROM sum(in_numerator) FILTER (WHERE location <> '*')
       OR count(*) FILTER (WHERE location = '*' AND (practitioner <> '*' OR channel <> '*')) > 0`,
  );
  return result.rows;
}

type Step = [label: string, write: (platform: TestPlatform) => Promise<unknown>];

const put = (platform: TestPlatform, resource: Record<string, unknown>) =>
  platform.repository.update(resource as unknown as Appointment);
const visit = (id: string, status: string, start: string) => ({
  resourceType: 'Appointment',
  id,
  status,
  start,
  end: new Date(Date.parse(start) + 900_000).toISOString(),
  participant: [{ actor: { reference: 'Patient/sums-p' }, status: 'accepted' }],
});

/** Writes whose facts join facts written before them: a consent, a message answered, a waitlist fill. */
function linkSteps(): Step[] {
  const at = '2026-11-10T09:00:00Z';
  return [
    [
      'a patient without consent',
      (p) => put(p, { resourceType: 'Patient', id: 'sums-p', name: [{ family: 'Sums' }] }),
    ],
    ['her consent (clean-consent)', (p) => put(p, { ...consentFor('sums-p'), id: 'sums-consent' })],
    ['an opt-out answering a message not yet kept', (p) => put(p, optOutReply())],
    ['the message answered (its channel regroups the opt-out)', (p) => put(p, sentMessage())],
    ['a cancelled booking', (p) => put(p, visit('sums-a', 'cancelled', at))],
    ['a booking at its time', (p) => put(p, visit('sums-b', 'booked', at))],
    ['the waitlist entry booked as it (fills the cancellation)', (p) => put(p, waitlistEntry('sums-b'))],
    [
      'the booking moved (the cancellation is unfilled)',
      (p) => put(p, visit('sums-b', 'booked', '2026-11-11T09:00:00Z')),
    ],
    ['the consent deleted', (p) => p.repository.delete('Consent', 'sums-consent')],
  ];
}

const consentFor = (patient: string) => ({
  ...privacyConsent(patient),
  policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
});

const optOutReply = () => ({
  resourceType: 'Communication',
  id: 'sums-reply',
  status: 'completed',
  inResponseTo: [{ reference: 'Communication/sums-message' }],
  subject: { reference: 'Patient/sums-p' },
  received: '2026-11-12T10:00:00Z',
  extension: [{ url: 'https://throughline.dev/fhir/StructureDefinition/reply-action', valueCode: 'opt-out' }],
});

const sentMessage = () => ({
  resourceType: 'Communication',
  id: 'sums-message',
  status: 'completed',
  basedOn: [{ reference: 'CommunicationRequest/sums-request' }],
  subject: { reference: 'Patient/sums-p' },
  medium: [
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'SMSWRIT' }] },
  ],
  sent: '2026-11-12T09:00:00Z',
});

const waitlistEntry = (booking: string) => ({
  resourceType: 'Appointment',
  id: 'sums-w',
  status: 'cancelled',
  participant: [{ actor: { reference: 'Patient/sums-p' }, status: 'accepted' }],
  extension: [
    {
      url: 'https://throughline.dev/fhir/StructureDefinition/waitlist-booked-as',
      valueReference: { reference: `Appointment/${booking}` },
    },
  ],
});

const rxnorm = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** A chronic (`continuous`) prescription of drug `sums-drug` for `sums-p`, and two fills. */
async function prescribedAndFilled(platform: TestPlatform, secondSupply: number) {
  await put(platform, {
    resourceType: 'MedicationRequest',
    id: 'sums-rx',
    status: 'active',
    intent: 'order',
    courseOfTherapyType: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy',
          code: 'continuous',
        },
      ],
    },
    medicationCodeableConcept: { coding: [{ system: rxnorm, code: 'sums-drug' }] },
    subject: { reference: 'Patient/sums-p' },
  });
  await put(platform, fill('sums-f1', '2026-06-01', 30));
  await put(platform, fill('sums-f2', '2026-07-01', secondSupply));
}

const fill = (id: string, day: string, supply: number) => ({
  resourceType: 'MedicationDispense',
  id,
  status: 'completed',
  medicationCodeableConcept: { coding: [{ system: rxnorm, code: 'sums-drug' }] },
  subject: { reference: 'Patient/sums-p' },
  authorizingPrescription: [{ reference: 'MedicationRequest/sums-rx' }],
  daysSupply: { value: supply, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
  whenHandedOver: `${day}T10:00:00Z`,
});

async function all<T>(platform: TestPlatform, resourceType: string): Promise<T[]> {
  const params: [string, string][] = [['_count', '1000']];
  const bundle: Bundle = await platform.repository.search({ resourceType, params });
  return (bundle.entry ?? []).map((entry) => entry.resource as T);
}
