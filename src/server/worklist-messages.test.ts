import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Communication } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { consentHiding, LABELS } from './testing/attack-fixture.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const PLAIN = 'Can I move my Thursday appointment to the afternoon?';
const LABELLED = 'LABELLED-SECRET: the new tablets from the psychiatrist make me dizzy';
const CONSENTED = 'CONSENT-SECRET: please do not tell my husband about the clinic';

interface Item {
  patient?: string;
  focus?: string;
  message?: Communication;
}
interface List {
  total: number;
  items: Item[];
}

/**
 * The unanswered-messages worklist carries each patient's message, read as the caller: a
 * coordinator reads what a patient wrote on the list, but never a message she may not see — one
 * labelled PSY (a label the role lacks), one the patient's privacy Consent hides from care
 * coordinators and the front desk — nor a payload her role sees masked; only the Task ("a message to answer") is.
 */
describe('worklist items carry the message, through the checkpoint', () => {
  let platform: TestPlatform;
  const patients: Record<'plain' | 'labelled' | 'consented', string> = {
    plain: '',
    labelled: '',
    consented: '',
  };
  const tokens: Record<string, string> = {};

  const inbound = (patient: string, text: string, extra: Partial<Communication> = {}): Communication => ({
    resourceType: 'Communication',
    status: 'completed',
    subject: { reference: `Patient/${patient}` },
    sender: { reference: `Patient/${patient}` },
    medium: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'SMSWRIT' }] },
    ],
    payload: [{ contentString: text }],
    received: new Date(Date.now() - 3_600_000).toISOString(),
    ...extra,
  });

  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
    for (const name of Object.keys(patients) as (keyof typeof patients)[])
      patients[name] = await platform.create({ resourceType: 'Patient', name: [{ family: name }] } as {
        resourceType: string;
      });
    await platform.create(
      consentHiding(patients.consented, { type: 'Communication', roles: ['care-coordinator', 'front-desk'] }),
    );
    await platform.create(inbound(patients.plain, PLAIN));
    await platform.create(inbound(patients.labelled, LABELLED, { meta: { security: [LABELS.PSY] } }));
    await platform.create(inbound(patients.consented, CONSENTED));
    await platform.worker.drain();
    for (const role of ['care-coordinator', 'front-desk', 'practice-manager', 'physician'])
      tokens[role] = await staffToken(platform, role);
  });
  after(() => platform.stop());

  const listAs = async (token: string | undefined, query = '') => {
    const response = await platform.fetch(`/api/worklists/unanswered-messages${query}`, { token });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return { text, list: JSON.parse(text) as List };
  };
  const itemOf = (list: List, patient: string) =>
    list.items.find((item) => item.patient === `Patient/${patient}`) ?? assert.fail(`no item for ${patient}`);

  test('a coordinator reads what the patient wrote, on which channel and when, on the row', async () => {
    const { list } = await listAs(tokens['care-coordinator']);
    assert.equal(list.total, 3, 'every message to answer is listed, hidden ones too: the Task names none');
    const { message, focus } = itemOf(list, patients.plain);
    assert.equal(`Communication/${message?.id}`, focus);
    assert.equal(message?.payload?.[0]?.contentString, PLAIN);
    assert.equal(message?.medium?.[0]?.coding?.[0]?.code, 'SMSWRIT');
    assert.ok(message?.received);
  });

  test('a labelled or consent-hidden message never reaches a role that may not read it', async () => {
    for (const role of ['care-coordinator', 'front-desk']) {
      for (const query of ['', '?_count=1000', '?_count=1&_offset=1', '?_count=1&_offset=2']) {
        const { text, list } = await listAs(tokens[role], query);
        assert.doesNotMatch(text, /SECRET|psychiatrist|husband/, `${role} ${query}`);
        for (const item of list.items.filter((i) => i.patient !== `Patient/${patients.plain}`))
          assert.equal(item.message, undefined, `${role} ${query}: no message on ${item.patient}`);
      }
    }
  });

  test('a role that sees messages masked gets the masked copy, without the words', async () => {
    const { text, list } = await listAs(tokens['practice-manager']);
    assert.ok(!text.includes(PLAIN), 'the practice manager does not read the text');
    const { message } = itemOf(list, patients.plain);
    assert.equal(message?.payload, undefined);
    assert.ok(message?.meta?.security?.some((label) => label.code === 'REDACTED'));
  });

  test('whoever may read them gets them: a physician holds the label, the consent names other roles', async () => {
    const { list } = await listAs(tokens.physician);
    assert.equal(itemOf(list, patients.labelled).message?.payload?.[0]?.contentString, LABELLED);
    assert.equal(itemOf(list, patients.consented).message?.payload?.[0]?.contentString, CONSENTED);
  });
});
