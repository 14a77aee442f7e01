import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Consent } from '@medplum/fhirtypes';
import { evaluateConsent } from './evaluate-consent.ts';
import { nextSendableAt } from './quiet-hours.ts';
import { nextWithinCap } from './frequency-cap.ts';
import { PURPOSE_SYSTEM } from '../model/outreach-codes.ts';

const now = new Date('2026-03-10T12:00:00Z');
const consent = (
  id: string,
  type: 'permit' | 'deny',
  code: string,
  extra: Partial<Consent['provision']> & { dateTime?: string } = {},
): Consent => {
  const { dateTime, ...provision } = extra;
  return {
    resourceType: 'Consent',
    id,
    status: 'active',
    scope: { text: 'privacy' },
    category: [{ text: 'consent' }],
    dateTime: dateTime ?? '2026-01-01T00:00:00Z',
    provision: { type, code: [{ coding: [{ code }] }], ...provision },
  };
};

test('without consent: care purposes may use a given contact point; marketing and WhatsApp may not', () => {
  const ask = (channel: 'sms' | 'whatsapp', purpose: 'appointment-reminder' | 'marketing') =>
    evaluateConsent({ channel, purpose, consents: [], now }).permitted;
  assert.equal(ask('sms', 'appointment-reminder'), true);
  assert.equal(ask('sms', 'marketing'), false);
  assert.equal(ask('whatsapp', 'appointment-reminder'), false);
});

test('a purpose-bound deny refuses only that purpose; the latest applicable consent decides, a deny wins a tie', () => {
  const results = { system: PURPOSE_SYSTEM, code: 'results-ready' };
  const consents = [
    consent('a', 'permit', 'SMSWRIT'),
    consent('b', 'deny', 'SMSWRIT', { purpose: [results], dateTime: '2026-02-01T00:00:00Z' }),
  ];
  assert.equal(evaluateConsent({ channel: 'sms', purpose: 'results-ready', consents, now }).permitted, false);
  assert.equal(evaluateConsent({ channel: 'sms', purpose: 'marketing', consents, now }).permitted, true);
  const tie = [consent('p', 'permit', 'EMAILWRIT'), consent('d', 'deny', 'EMAILWRIT')];
  assert.equal(
    evaluateConsent({ channel: 'email', purpose: 'care-gap', consents: tie, now }).consent,
    'Consent/d',
  );
  const expired = [consent('x', 'deny', 'SMSWRIT', { period: { end: '2026-02-01T00:00:00Z' } })];
  assert.equal(
    evaluateConsent({ channel: 'sms', purpose: 'care-gap', consents: expired, now }).permitted,
    true,
  );
});

test('quiet hours defer to the end of the quiet time in the patient zone, across midnight and daylight saving', () => {
  const quietHours = { start: '21:00', end: '08:00' };
  // 22:30 in New York (EST, UTC-5) → 08:00 next morning New York time.
  const late = new Date('2026-03-07T03:30:00Z');
  assert.equal(
    nextSendableAt(late, { quietHours, zone: 'America/New_York' }).toISOString(),
    '2026-03-07T13:00:00.000Z',
  );
  // The night clocks spring forward (8 March 2026): 08:00 EDT is 12:00 UTC.
  const springNight = new Date('2026-03-08T04:00:00Z');
  assert.equal(
    nextSendableAt(springNight, { quietHours, zone: 'America/New_York' }).toISOString(),
    '2026-03-08T12:00:00.000Z',
  );
  assert.equal(nextSendableAt(now, { quietHours, zone: 'Europe/Berlin' }), now);
  assert.equal(nextSendableAt(late, { zone: 'UTC' }), late, 'off: no quiet hours');
});

test('at most one non-urgent SMS a day and three a week, counted in the patient zone', () => {
  const zone = 'Europe/Berlin';
  const sameDay = nextWithinCap({
    sentAt: [new Date('2026-03-10T07:00:00Z')],
    perDay: 1,
    perWeek: 3,
    zone,
    now,
  });
  assert.equal(sameDay.toISOString(), '2026-03-10T23:00:00.000Z', 'midnight in Berlin');
  const week = ['2026-03-04T09:00:00Z', '2026-03-06T09:00:00Z', '2026-03-08T09:00:00Z'].map(
    (d) => new Date(d),
  );
  assert.equal(
    nextWithinCap({ sentAt: week, perDay: 1, perWeek: 3, zone, now }).toISOString(),
    '2026-03-11T09:00:00.000Z',
  );
  assert.equal(
    nextWithinCap({ sentAt: week, perDay: 0, perWeek: 0, zone, now }).toISOString(),
    now.toISOString(),
  );
});
