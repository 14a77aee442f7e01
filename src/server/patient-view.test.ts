import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../store/testing/backends.ts';
import { seedDemoClinic } from '../demo/index.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/** Maya's story (seed 000): one view across her GP and lab records, and what still has to happen. */
let platform: TestPlatform;
let maya: { gpPatientId: string; labPatientId: string };

before(async () => {
  platform = await startTestPlatform(pgliteBackend, {
    ADMIN_CLIENT_ID: undefined,
    ADMIN_CLIENT_SECRET: undefined,
  });
  const seeded = await seedDemoClinic(platform.repository, {
    patients: 40,
    seed: 1,
    now: new Date('2026-11-23T00:00:00Z'),
  });
  maya = seeded.truth.maya;
  await platform.worker.drain();
});
after(() => platform?.stop());

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${platform.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo-password' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

test("a clinician's 360 view of Maya spans her GP and lab records and says what needs attention", async () => {
  const token = await signIn('doctor@demo.clinic');
  const view = (await (await platform.fetch(`/api/patients/${maya.gpPatientId}/360`, { token })).json()) as {
    person: {
      records: { patient: { id: string } }[];
      contact: { channel?: string; consent: Record<string, string> };
    };
    needsAttention: { kind: string; text: string }[];
    sections: Record<string, { reference: string; source?: string }[]>;
  };
  const recordIds = view.person.records.map((record) => record.patient.id);
  assert.ok(
    recordIds.includes(maya.gpPatientId) && recordIds.includes(maya.labPatientId),
    'both of her records are one person',
  );
  assert.ok(
    (view.sections.labs ?? []).length > 0,
    'the lab results filed under the lab record are in the view',
  );
  assert.ok((view.sections.engagement ?? []).length > 0, 'calls, SMS and email are in the view');
  assert.equal(view.person.contact.channel, 'sms', 'her preferred channel');
  assert.deepEqual(view.person.contact.consent, { sms: 'permit', email: 'permit', phone: 'permit' });
  assert.ok(
    view.needsAttention.some((item) => item.kind === 'referral-not-booked'),
    JSON.stringify(view.needsAttention),
  );
});

test('the front desk sees appointments and engagement, not lab results', async () => {
  const token = await signIn('frontdesk@demo.clinic');
  const view = (await (await platform.fetch(`/api/patients/${maya.gpPatientId}/360`, { token })).json()) as {
    sections: Record<string, unknown[]>;
  };
  assert.equal(view.sections.labs, undefined);
  assert.ok((view.sections.engagement ?? []).length > 0);
});

test('the timeline pages with a stable cursor and filters by category', async () => {
  const token = await signIn('doctor@demo.clinic');
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = (await (
      await platform.fetch(
        `/api/patients/${maya.gpPatientId}/timeline?limit=5${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      )
    ).json()) as { events: { reference: string; date: string }[]; next?: string };
    seen.push(...page.events.map((event) => event.reference));
    cursor = page.next;
  } while (cursor);
  assert.equal(new Set(seen).size, seen.length, 'no event twice');
  const all = (await (
    await platform.fetch(`/api/patients/${maya.gpPatientId}/timeline?limit=500`, { token })
  ).json()) as { events: { reference: string }[] };
  assert.deepEqual(
    seen,
    all.events.map((event) => event.reference),
  );
  const engagement = (await (
    await platform.fetch(`/api/patients/${maya.gpPatientId}/timeline?category=engagement`, { token })
  ).json()) as { events: { category: string }[] };
  assert.ok(
    engagement.events.length > 0 && engagement.events.every((event) => event.category === 'engagement'),
  );
});
