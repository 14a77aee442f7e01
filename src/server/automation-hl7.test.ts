import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { installRecipes, runRule, type DryRunReport, type RuleRun } from '../automation/index.ts';
import { ruleOf, step } from '../automation/testing/rule-builder.ts';
import { listOutboundMessages } from '../store/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { automationService } from './automation-service.ts';
import { hl7OutService } from './connectors-service.ts';
import { field, mllpPlatformPerSuite, segment, storedPatient } from './testing/mllp-platform.ts';
import { dryRunThenSave } from './testing/rule-requests.ts';

const messageType = (message: string) => field(segment(message, 'MSH'), 8);

/**
 * Rules that send HL7 v2 (issue 17): the contact-changed recipe and an hl7-send rule, end to end
 * at real MLLP listeners that ACK, through the outbound message store.
 */
let patient: Patient & { id: string };
describeEachBackend('hl7-send rules and the contact-changed recipe', (backend) => {
  const { platform, listeners } = mllpPlatformPerSuite(backend, ([ehrPort, labPort]) => ({
    // ehr takes A08 from the feed too; lab only ORU^R01, so an A08 there comes from a rule.
    HL7_DESTINATIONS: `ehr=mllp://127.0.0.1:${ehrPort}?events=ADT^A08,lab=mllp://127.0.0.1:${labPort}?events=ORU^R01`,
    SUBSCRIPTION_RETRY_BASE_SECONDS: '1',
    QUIET_HOURS: 'off',
  }));
  const [ehr, lab] = listeners;
  before(async () => {
    await installRecipes(platform.repository, { status: 'active' });
    await platform.worker.drain();
    patient = await storedPatient(platform, {
      resourceType: 'Patient',
      identifier: [{ system: 'urn:oid:1.2.3.4', value: 'MRN-717' }],
      name: [{ family: 'Okafor', given: ['Maya'] }],
      telecom: [{ system: 'phone', value: '+15550001111', use: 'mobile' }],
    });
  });

  const update = async (changed: Patient) => {
    patient = await platform.update({ ...changed, id: patient.id });
    await platform.worker.drain();
  };

  async function runsOf(rule: string): Promise<RuleRun[]> {
    const response = await platform.fetch(`/api/automation/rules/${rule}/runs`);
    assert.equal(response.status, 200);
    return ((await response.json()) as { runs: RuleRun[] }).runs;
  }

  const runOn = async (rule: string, version: string) =>
    (await runsOf(rule)).find((run) => run.event === `Patient/${patient.id}/_history/${version}`);

  test('contact-changed: a changed phone produces one ADT^A08 at the listener, which ACKs', async () => {
    await update({ ...patient, telecom: [{ system: 'phone', value: '+15550002222', use: 'mobile' }] });
    assert.deepEqual(
      ehr.received.map(messageType),
      ['ADT^A08^ADT_A01'],
      'once, though the feed wants it too',
    );
    assert.equal(field(segment(ehr.received[0]!, 'PID'), 13), '+15550002222^PRN^CP');
    const [stored] = await listOutboundMessages(platform.db, { destination: 'ehr' });
    assert.equal(stored?.status, 'accepted');
    assert.equal(stored?.resource, `Patient/${patient.id}/_history/2`);
    const run = await runOn('contact-changed', '2');
    assert.equal(run?.status, 'success');
    assert.equal(run?.actions[0]?.type, 'hl7-send');
    assert.equal(run?.actions[0]?.outcome, 'done');
    assert.deepEqual(
      [run?.actions[1]?.type, run?.actions[1]?.outcome, run?.actions[1]?.detail],
      ['hl7-send', 'done', 'no destination takes it'],
      'no destination here asks for ADT^A31',
    );
    assert.match(
      run?.actions[0]?.detail ?? '',
      new RegExp(`ehr: accepted \\(MSH-10 ${stored?.controlId}\\)`),
    );
    assert.equal(lab.received.length, 0, 'lab does not take ADT^A08');
  });

  test('a write that changes no contact details triggers no run', async () => {
    await update({ ...patient, gender: 'female' });
    assert.equal(await runOn('contact-changed', '3'), undefined);
  });

  let ruleId = '';
  test('an hl7-send rule to a named destination: sent through the store, ACKed, recorded', async () => {
    const rule = ruleOf({
      title: 'A08 to the lab when the patient is deactivated',
      resourceType: 'Patient',
      on: 'data-modified',
      when: '%resource.active = false',
      actions: [step('hl7-send', { message: "'ADT^A08'", destination: "'lab'" })],
      status: 'active',
    });
    const { dry, saved } = await dryRunThenSave(platform, rule);
    assert.equal(dry.status, 200);
    assert.equal(saved.status, 201);
    ruleId = ((await saved.json()) as { id: string }).id;
    await platform.worker.drain();
    lab.dropNext(1);
    await update({ ...patient, active: false });
    assert.equal(lab.received.length, 2, 'no ACK the first time: the same message again');
    assert.equal(lab.received[0], lab.received[1]);
    assert.equal(messageType(lab.received[1]!), 'ADT^A08^ADT_A01');
    const [stored] = await listOutboundMessages(platform.db, { destination: 'lab' });
    assert.equal(stored?.status, 'accepted');
    assert.equal(stored?.attempts, 2);
    const run = await runOn(ruleId, patient.meta!.versionId!);
    assert.deepEqual(
      run?.actions.map((a) => [a.type, a.outcome]),
      [['hl7-send', 'done']],
    );
  });

  test('a replayed event sends nothing twice', async () => {
    const run = (await runOn(ruleId, patient.meta!.versionId!))!;
    const deps = automationService({
      repository: platform.repository,
      db: platform.db,
      clock: { now: () => new Date() },
      hl7: hl7OutService({ ...platform, clock: { now: () => new Date() } }),
    });
    const event = {
      resourceType: 'Patient',
      id: patient.id,
      versionId: patient.meta!.versionId!,
      action: 'update' as const,
      patient: `Patient/${patient.id}`,
      occurredAt: run.at,
    };
    await runRule(deps, { rule: run.rule, event });
    await runRule(deps, { rule: run.rule, event });
    assert.equal(lab.received.length, 2);
    assert.equal((await runsOf(ruleId)).filter((each) => each.key === run.key).length, 1);
  });

  test('the dry run lists exactly what the live run did, with the message and destination', async () => {
    const rule = await (await platform.fetch(`/api/automation/rules/${ruleId}`)).json();
    const response = await platform.fetch('/api/automation/rules/$dry-run?days=1', {
      method: 'POST',
      body: JSON.stringify(rule),
    });
    const report = (await response.json()) as DryRunReport;
    const live = (await runsOf(ruleId)).map((r) => `${r.event} ${r.actions.map((a) => a.type).join(',')}`);
    const dry = report.wouldAct.map((item) => `${item.event} ${item.actions.map((a) => a.type).join(',')}`);
    assert.deepEqual(dry.sort(), live.sort());
    assert.deepEqual(report.wouldAct[0]?.actions[0]?.values, { message: 'ADT^A08', destination: 'lab' });
  });

  test('an unknown destination or message is reported with the reason', async () => {
    const bad = ruleOf({
      title: 'bad message',
      resourceType: 'Patient',
      actions: [step('hl7-send', { message: "'ADT^A99'" })],
    });
    const refused = await platform.fetch('/api/automation/rules', {
      method: 'POST',
      body: JSON.stringify(bad),
    });
    assert.equal(refused.status, 400);
    const nowhere = ruleOf({
      title: 'nowhere',
      resourceType: 'Patient',
      on: 'data-modified',
      when: '%resource.active = true',
      actions: [step('hl7-send', { message: "'ADT^A08'", destination: "'billing'" })],
      status: 'active',
    });
    const { saved } = await dryRunThenSave(platform, nowhere);
    const id = ((await saved.json()) as { id: string }).id;
    await platform.worker.drain();
    await update({ ...patient, active: true });
    const run = await runOn(id, patient.meta!.versionId!);
    assert.equal(run?.status, 'failure');
    assert.match(run?.reason ?? '', /no HL7_DESTINATIONS entry is named "billing"/);
  });
});
