import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Appointment,
  Communication,
  CommunicationRequest,
  DiagnosticReport,
  Resource,
} from '@medplum/fhirtypes';
import { generateDemoClinic, type DemoClinic } from './generate-demo-clinic.ts';

/** The demo clinic lives on the day it is generated for (issue 13, item 5). */
const HOUR = 3_600_000;
const today = new Date('2026-05-14T00:00:00Z');
const weekEnd = new Date(today.getTime() + 7 * 24 * HOUR);

const ofType = <T extends Resource>(clinic: DemoClinic, type: T['resourceType']) =>
  clinic.resources.filter((r): r is T => r.resourceType === type);
const isToday = (at?: string) => at?.slice(0, 10) === '2026-05-14';
const inWeek = (at?: string) =>
  Date.parse(at ?? '') >= today.getTime() && Date.parse(at ?? '') < weekEnd.getTime();
const patientOf = (appointment: Appointment) =>
  appointment.participant.find((p) => p.actor?.reference?.startsWith('Patient/'));

/** The front desk's words for an appointment: a YES to a reminder about it confirms it. */
function stateOf(appointment: Appointment, replies: Set<string>): string {
  if (appointment.status === 'pending' && patientOf(appointment)?.status === 'needs-action')
    return 'unconfirmed';
  if (appointment.status !== 'booked') return appointment.status;
  return replies.has(`Appointment/${appointment.id}`) ? 'confirmed' : 'booked';
}

function statesBy(clinic: DemoClinic, when: (start?: string) => boolean): Set<string> {
  const replies = new Set(
    ofType<Communication>(clinic, 'Communication')
      .filter((c) => c.sender?.reference?.startsWith('Patient/') && c.payload?.[0]?.contentString === 'YES')
      .flatMap((c) => (c.about ?? []).map((about) => about.reference ?? '')),
  );
  return new Set(
    ofType<Appointment>(clinic, 'Appointment')
      .filter((a) => when(a.start))
      .map((a) => stateOf(a, replies)),
  );
}

for (const patients of [300, 20]) {
  const clinic = generateDemoClinic({ seed: 11, now: today, patients });

  test(`${patients} people: today has arrived, no-show, booked, confirmed and unconfirmed appointments`, () => {
    const states = statesBy(clinic, isToday);
    for (const state of ['arrived', 'noshow', 'booked', 'confirmed', 'unconfirmed'])
      assert.ok(states.has(state), `today: no ${state} (${[...states].join(', ')})`);
    const unconfirmedToday = ofType<Appointment>(clinic, 'Appointment').filter(
      (a) => isToday(a.start) && a.status === 'pending',
    );
    assert.ok(
      unconfirmedToday.every((a) => a.start! >= '2026-05-14T11:00:00Z'),
      'still to come today',
    );
    assert.ok(
      ofType<Appointment>(clinic, 'Appointment')
        .filter((a) => ['arrived', 'noshow'].includes(a.status))
        .every((a) => !isToday(a.start) || a.start! < '2026-05-14T11:00:00Z'),
      'who came (or not) came this morning',
    );
  });

  test(`${patients} people: the rest of the week has booked, confirmed and unconfirmed appointments`, () => {
    const states = statesBy(clinic, (start) => inWeek(start) && !isToday(start));
    for (const state of ['booked', 'confirmed', 'unconfirmed'])
      assert.ok(states.has(state), `this week: no ${state}`);
  });

  test(`${patients} people: lab results arrived this morning`, () => {
    const reports = ofType<DiagnosticReport>(clinic, 'DiagnosticReport').filter(
      (r) => isToday(r.issued) && r.issued! < '2026-05-14T12:00:00Z',
    );
    assert.ok(reports.length >= 3, `${reports.length} panels this morning`);
    assert.ok(
      reports.every((r) => (r.effectiveDateTime ?? '') < today.toISOString()),
      'drawn before today',
    );
  });

  test(`${patients} people: reminders (CommunicationRequest) are due in the next hours, not sent yet`, () => {
    const due = ofType<CommunicationRequest>(clinic, 'CommunicationRequest').filter((r) => {
      const at = Date.parse(r.occurrenceDateTime ?? '');
      return r.status === 'active' && at >= today.getTime() && at < today.getTime() + 24 * HOUR;
    });
    assert.ok(due.length >= 2, `${due.length} reminders due today`);
    assert.ok(due.every((r) => r.category?.[0]?.coding?.[0]?.code === 'reminder'));
    const sentFor = new Set(
      ofType<Communication>(clinic, 'Communication').flatMap((c) =>
        (c.basedOn ?? []).map((b) => b.reference),
      ),
    );
    assert.ok(due.every((r) => !sentFor.has(`CommunicationRequest/${r.id}`)));
  });

  test(`${patients} people: the same seed and date give the same clinic; another date moves it`, () => {
    const again = generateDemoClinic({ seed: 11, now: today, patients });
    assert.equal(JSON.stringify(again), JSON.stringify(clinic));
    const tomorrow = generateDemoClinic({ seed: 11, now: new Date('2026-05-15T00:00:00Z'), patients });
    assert.ok(statesBy(tomorrow, (start) => start?.slice(0, 10) === '2026-05-15').has('unconfirmed'));
  });
}
