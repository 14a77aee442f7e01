import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dryRunRefusal, stoppedWords } from './dry-run-words.ts';
import { typeLabel } from '../../shared/fhir/describe.ts';
import { factsOf, outcomeWords, stepsInWords } from './step-words.ts';
import { eventWords, scheduleWords, triggerWords } from './trigger-words.ts';

const literal = (expression: string) => ({ language: 'text/fhirpath', expression });
const send = {
  code: [{ coding: [{ code: 'send' }] }],
  dynamicValue: [{ path: 'purpose', expression: literal("'care-gap'") }],
};
const wait = {
  code: [{ coding: [{ code: 'wait' }] }],
  timingDuration: { value: 3, code: 'd' },
  condition: [
    {
      kind: 'stop',
      expression: { ...literal("%resource.status != 'ready'"), description: 'the gap was closed' },
    },
  ],
};
const task = { code: [{ coding: [{ code: 'task' }] }], title: 'Coordinator call' };
const hl7 = {
  code: [{ coding: [{ code: 'hl7-send' }] }],
  dynamicValue: [{ path: 'message', expression: literal("'ADT^A08'") }],
};
const atClinic = (value: string) => `at ${value}`;

test('a rule’s steps read as what they do, not as codes', () => {
  assert.equal(
    stepsInWords([send, wait, task, hl7]),
    'Send message: Care gap → Wait 3 days → Create task: Coordinator call → Send patient details to other systems (HL7 ADT^A08)',
  );
});

test('a run’s steps read as what happened, a failure with its reason', () => {
  const cases: [Parameters<typeof outcomeWords>[0], object, string][] = [
    [{ type: 'send', outcome: 'done' }, send, 'Queued message: Care gap'],
    [
      { type: 'wait', outcome: 'waiting', detail: 'until 2026-12-09T20:23:00Z' },
      wait,
      'Waiting until at 2026-12-09T20:23:00Z',
    ],
    [
      { type: 'wait', outcome: 'stopped', detail: "stopped: %resource.status = 'completed'" },
      wait,
      'Stopped after the wait: the gap was closed',
    ],
    [{ type: 'task', outcome: 'done' }, task, 'Created task: Coordinator call'],
    [
      { type: 'hl7-send', outcome: 'done', detail: 'no destination takes it' },
      hl7,
      'Nothing sent: no system is set up to receive HL7 ADT^A08',
    ],
    [
      {
        type: 'webhook',
        outcome: 'failed',
        detail: 'POST https://billing.example/hooks: AUTOMATION_WEBHOOK_SECRET is not set',
      },
      {},
      'Webhook call failed: AUTOMATION_WEBHOOK_SECRET is not set',
    ],
  ];
  for (const [outcome, step, words] of cases)
    assert.equal(outcomeWords(outcome, factsOf(step), atClinic), words);
});

test('triggers, events and schedules read in words', () => {
  assert.equal(
    triggerWords({ type: 'data-modified', data: [{ type: 'DiagnosticReport' }] }),
    'Diagnostic report updated',
  );
  assert.equal(
    triggerWords({
      type: 'data-added',
      data: [{ type: 'Task' }],
      condition: literal('%resource.status = ready'),
    }),
    'Task created, when its condition holds',
  );
  assert.equal(scheduleWords('FREQ=WEEKLY;BYDAY=MO;BYHOUR=8'), 'Every week on Monday at 08:00');
  assert.equal(eventWords('Appointment/abc/_history/1'), 'Appointment created');
  assert.equal(eventWords('Patient/abc/_history/3'), 'Patient updated');
});

test('what stopped a dry run reads as the condition’s own words when the author gave them', () => {
  const conditions = [
    { expression: '%resource.start > now()', description: 'the appointment is in the future' },
  ];
  assert.equal(
    stoppedWords('condition false: %resource.start > now()', conditions),
    'Condition not met: "the appointment is in the future"',
  );
  assert.equal(stoppedWords('condition false: %resource.x', conditions), 'A condition was not met');
  assert.equal(stoppedWords('rule failed: bad path', conditions), 'The rule failed: bad path');
});

test('a dry run the reader’s role may not make says so, not only the server’s code words', () => {
  assert.match(
    dryRunRefusal('Your role may not do this. Not allowed: history DiagnosticReport', typeLabel),
    /^Your role may not read diagnostic report records/,
  );
  assert.equal(dryRunRefusal('database away', typeLabel), 'database away');
});
