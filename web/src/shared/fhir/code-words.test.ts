import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeAsWords, outreachPurposeDisplay, signalRuleTitle } from './code-words.ts';

test('outreach purposes read as the outreach-purpose CodeSystem displays them', () => {
  const cases: [string, string][] = [
    ['appointment-reminder', 'Appointment reminder'],
    ['results-ready', 'Results ready'],
    ['care-gap', 'Care gap'],
    ['referral', 'Referral'],
    ['survey', 'Survey'],
    ['marketing', 'Marketing'],
  ];
  for (const [code, display] of cases) assert.equal(outreachPurposeDisplay(code), display, code);
});

test('a purpose the app does not know yet still reads as words, not a code', () => {
  assert.equal(outreachPurposeDisplay('flu-season-invite'), 'Flu season invite');
});

test("signal rules read by the catalog's title, falling back to words while the catalog loads", () => {
  const rules = [{ id: 'referral-not-booked-in-time', title: 'Referral not booked within 14 days' }];
  assert.equal(signalRuleTitle('referral-not-booked-in-time', rules), 'Referral not booked within 14 days');
  assert.equal(signalRuleTitle('referral-not-booked-in-time', undefined), 'Referral not booked in time');
  assert.equal(signalRuleTitle('other', rules), 'Other');
});

test('codes without words become sentence-case words', () => {
  assert.equal(codeAsWords('no-show-streak'), 'No show streak');
  assert.equal(codeAsWords(''), '');
});
