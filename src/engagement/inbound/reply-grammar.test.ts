import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReply } from './reply-grammar.ts';
import { renderTemplate, smsSegments } from '../templates/outreach-templates.ts';
import { PURPOSES } from '../model/outreach-codes.ts';

test('the reply grammar: C/1/YES confirm, R/2 reschedule, carrier opt-out words, START; anything else is for a person', () => {
  for (const word of ['C', 'c', ' 1 ', 'Yes', 'yes!']) assert.equal(parseReply(word), 'confirm', word);
  for (const word of ['R', '2']) assert.equal(parseReply(word), 'reschedule', word);
  for (const word of ['STOP', 'stop all', 'UNSUBSCRIBE', 'CANCEL', 'end', 'Quit'])
    assert.equal(parseReply(word), 'opt-out', word);
  for (const word of ['START', 'unstop']) assert.equal(parseReply(word), 'opt-in', word);
  for (const text of ['Can I come at 3?', 'cancel my appointment please', 'CC'])
    assert.equal(parseReply(text), undefined, text);
});

test('every template fits one GSM-7 SMS for a clinic name of 30 characters, and says nothing clinical', () => {
  const clinicName = 'Riverside Family Practice West';
  for (const language of ['en', 'es'])
    for (const purpose of PURPOSES) {
      const text = renderTemplate({
        purpose,
        language,
        clinicName,
        zone: 'Europe/Madrid',
        start: new Date('2026-06-01T08:30:00Z'),
      });
      assert.equal(smsSegments(text), 1, `${language} ${purpose}: ${text.length} characters`);
      assert.doesNotMatch(text, /HbA1c|glucose|positive|negative|diagnos/i);
    }
  assert.match(
    renderTemplate({
      purpose: 'appointment-reminder',
      clinicName: 'X',
      zone: 'Europe/Madrid',
      start: new Date('2026-06-01T08:30:00Z'),
    }),
    /Mon 1 Jun 10:30/,
  );
  assert.equal(smsSegments('é'.repeat(161)), 2);
  assert.equal(smsSegments('ł'.repeat(71)), 2, 'outside GSM-7: 70 per SMS');
});
