import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import type { WaitlistEntryView } from './portal-waitlist.ts';
import { grantFor, seedProxyFixture, type ProxyFixture } from './testing/proxy-fixture.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { createGpSchedule, type SchedulingFixture } from './testing/scheduling-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

interface Answer {
  entry: WaitlistEntryView;
  entries: WaitlistEntryView[];
  services: { code: string; practitioners: { reference: string; name: string }[]; locations: unknown[] }[];
  issue?: OperationOutcome['issue'];
}

/**
 * The waiting list in the portal (issue 20): she joins for a service, a practitioner or place
 * and a window, sees and leaves her entries; a freed time is offered to her by the existing
 * waitlist flow and she takes it in the portal. Another patient's ids give nothing; a proxy
 * only with her grant's appointments scope.
 */
describeEachBackend('the portal waiting list: join, see, leave, take an offer', (backend) => {
  let platform: TestPlatform;
  let clinic: SchedulingFixture;
  let f: ProxyFixture;
  let holderToken = '';
  before(async () => {
    platform = await startTestPlatform(backend, { QUIET_HOURS: 'off' });
    clinic = await createGpSchedule(platform);
    f = await seedProxyFixture(platform);
    const holder = await platform.create({ resourceType: 'Patient', name: [{ family: 'Holder' }] } as never);
    holderToken = await patientToken(platform, holder);
  });
  after(() => platform.stop());

  async function call(
    path: string,
    init: { token: string; body?: unknown; actingFor?: string },
  ): Promise<{ status: number; body: Answer }> {
    const response = await platform.fetch(path, {
      method: init.body === undefined ? 'GET' : 'POST',
      token: init.token,
      headers: init.actingFor ? { 'x-acting-for': init.actingFor } : {},
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  }

  const week = () => ({
    start: clinic.monday.toUTC().toISO()!,
    end: clinic.monday.plus({ days: 5 }).toUTC().toISO()!,
  });
  const join = (token: string, wish: object, actingFor?: string) =>
    call('/api/portal/waitlist', { token, body: { serviceType: '124', ...week(), ...wish }, actingFor });

  test('she sees what she may wait for, joins for a practitioner and a week, and sees her entry', async () => {
    const choices = await call('/api/portal/waitlist', { token: f.tokens.maya });
    assert.equal(choices.status, 200);
    const gp = choices.body.services.find((service) => service.code === '124');
    assert.deepEqual(gp?.practitioners, [{ reference: clinic.practitioner, name: 'Okoye' }]);
    const joined = await join(f.tokens.maya, { practitioner: clinic.practitioner });
    assert.equal(joined.status, 201, JSON.stringify(joined.body));
    assert.equal(joined.body.entry.practitioner, clinic.practitioner);
    const stored = (await (
      await platform.fetch(`/fhir/Appointment/${joined.body.entry.id}`)
    ).json()) as Appointment;
    assert.equal(stored.status, 'waitlist');
    assert.deepEqual(
      stored.participant.map((p) => p.actor?.reference),
      [`Patient/${f.maya}`, clinic.practitioner],
    );
    const mine = await call('/api/portal/waitlist', { token: f.tokens.maya });
    assert.deepEqual(
      mine.body.entries.map((entry) => entry.id),
      [joined.body.entry.id],
    );
    const theirs = await call('/api/portal/waitlist', { token: f.tokens.ada });
    assert.deepEqual(theirs.body.entries, [], 'another patient sees none of hers');
  });

  test('what she names must be what the clinic offers: each wrong field is a 400 naming it', async () => {
    const wrong: [object, string][] = [
      [{ serviceType: '999' }, 'serviceType'],
      [{ practitioner: 'Practitioner/nobody' }, 'practitioner'],
      [{ location: 'Location/nowhere' }, 'location'],
      [{ start: 'soon' }, 'start'],
      [{ end: clinic.monday.minus({ days: 1 }).toUTC().toISO() }, 'end'],
      [{ end: clinic.monday.plus({ days: 200 }).toUTC().toISO() }, 'end'],
      [{ serviceType: 124 }, 'serviceType'],
    ];
    for (const [wish, expression] of wrong) {
      const refused = await join(f.tokens.maya, wish);
      assert.equal(refused.status, 400, JSON.stringify(wish));
      assert.deepEqual(refused.body.issue?.[0]?.expression, [expression], JSON.stringify(refused.body));
    }
    const staff = await call('/api/portal/waitlist', { token: await staffToken(platform, 'front-desk') });
    assert.equal(staff.status, 403);
  });

  test('another patient can neither leave nor take her entry; she leaves it, once', async () => {
    const joined = await join(f.tokens.maya, { location: clinic.location });
    const id = joined.body.entry.id;
    for (const action of ['leave', 'take'])
      assert.equal(
        (await call(`/api/portal/waitlist/${id}/${action}`, { token: f.tokens.ada, body: {} })).status,
        404,
      );
    const left = await call(`/api/portal/waitlist/${id}/leave`, { token: f.tokens.maya, body: {} });
    assert.equal(left.status, 200);
    const stored = (await (await platform.fetch(`/fhir/Appointment/${id}`)).json()) as Appointment;
    assert.equal(stored.status, 'cancelled');
    assert.equal(
      (await call(`/api/portal/waitlist/${id}/leave`, { token: f.tokens.maya, body: {} })).status,
      409,
    );
    const mine = await call('/api/portal/waitlist', { token: f.tokens.maya });
    assert.ok(!mine.body.entries.some((entry) => entry.id === id));
  });

  test('a freed time is offered to her entry; she takes it in the portal and it is booked for her', async () => {
    const [entry] = (await call('/api/portal/waitlist', { token: f.tokens.maya })).body.entries;
    const monday9 = clinic.monday.set({ hour: 9 }).toUTC().toISO()!;
    const booked = await call('/api/portal/appointments', {
      token: holderToken,
      body: { schedule: clinic.schedule.replace('Schedule/', ''), start: monday9 },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const bookedId = (booked.body as unknown as Appointment).id!;
    await platform.worker.drain();
    assert.equal(
      (await call(`/api/portal/waitlist/${entry!.id}/take`, { token: f.tokens.maya, body: {} })).status,
      409,
      'nothing on offer yet',
    );
    await call(`/api/portal/appointments/${bookedId}/cancel`, { token: holderToken, body: {} });
    await platform.worker.drain();
    await platform.worker.drain();
    const offered = (await call('/api/portal/waitlist', { token: f.tokens.maya })).body.entries[0]!;
    assert.equal(Date.parse(offered.offer?.start ?? ''), Date.parse(monday9), JSON.stringify(offered));
    const taken = await call(`/api/portal/waitlist/${entry!.id}/take`, { token: f.tokens.maya, body: {} });
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    await platform.worker.drain();
    await platform.worker.drain();
    const hers = (await (
      await platform.fetch(`/fhir/Appointment?patient=Patient/${f.maya}&status=booked`)
    ).json()) as Bundle;
    const appointment = hers.entry?.map((e) => e.resource as Appointment)[0];
    assert.equal(Date.parse(appointment?.start ?? ''), Date.parse(monday9));
    assert.deepEqual((await call('/api/portal/waitlist', { token: f.tokens.maya })).body.entries, []);
  });

  test('a proxy: only with the appointments scope of her grant, and only for her dependant', async () => {
    const recordOnly = await platform.create(
      grantFor({ patient: f.ada, account: f.mayaAccount, scope: ['record'] }),
    );
    const asProxy = { actingFor: f.ada };
    assert.equal((await join(f.tokens.maya, {}, f.ada)).status, 403, 'a record-only grant joins nothing');
    assert.equal((await call('/api/portal/waitlist', { token: f.tokens.maya, ...asProxy })).status, 200);
    await platform.repository.delete('RelatedPerson', recordOnly);
    await platform.create(grantFor({ patient: f.ada, account: f.mayaAccount, scope: ['appointments'] }));
    const joined = await join(f.tokens.maya, {}, f.ada);
    assert.equal(joined.status, 201, JSON.stringify(joined.body));
    const stored = (await (
      await platform.fetch(`/fhir/Appointment/${joined.body.entry.id}`)
    ).json()) as Appointment;
    assert.equal(stored.participant[0]?.actor?.reference, `Patient/${f.ada}`);
    const vera = await call('/api/portal/waitlist', { token: f.tokens.maya, actingFor: f.vera });
    assert.equal(vera.status, 403, 'no grant for Vera');
  });
});
