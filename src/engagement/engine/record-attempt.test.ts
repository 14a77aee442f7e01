import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunicationRequest } from '@medplum/fhirtypes';
import { isPlainlyValid } from '../../fhir/check-structure.ts';
import { loadFhirDefinitions } from '../../fhir/definitions.ts';
import { acceptedAttempt, attemptOf } from './record-attempt.ts';

const bare: CommunicationRequest & { id: string } = {
  resourceType: 'CommunicationRequest',
  id: 'req-1',
  status: 'active',
  category: [
    {
      coding: [{ system: 'https://throughline.dev/fhir/CodeSystem/outreach-purpose', code: 'results-ready' }],
    },
  ],
  recipient: [{ reference: 'Patient/p-1' }],
};
const full: CommunicationRequest & { id: string } = {
  ...bare,
  priority: 'urgent',
  about: [{ reference: 'Appointment/a-1' }],
  sender: { reference: 'Organization/clinic' },
};
const spec = {
  channel: 'sms' as const,
  address: '+15550001111',
  text: 'Your results are ready.',
  patientId: 'p-1',
};

// The store validates every write; the fast walk accepts only resources without keys holding
// `undefined` (it asks Medplum's validator, several times slower, about anything else).
test('an attempt is plainly valid whether or not its request has priority, about and sender', () => {
  loadFhirDefinitions();
  for (const request of [bare, full]) {
    const attempt = attemptOf({ ...spec, request });
    assert.deepEqual(
      Object.entries(attempt).filter(([, value]) => value === undefined),
      [],
      `request ${request.priority ?? 'without priority'}`,
    );
    assert.ok(isPlainlyValid(attempt), 'the opened attempt takes the fast path');
    const accepted = acceptedAttempt(
      { ...attempt, id: 'c-1' },
      { providerId: 'SM1', state: 'queued', at: new Date('2026-12-06T08:00:00Z') },
    );
    assert.ok(isPlainlyValid(accepted), 'the accepted attempt takes the fast path');
  }
  const copied = attemptOf({ ...spec, request: full });
  assert.equal(copied.priority, 'urgent');
  assert.deepEqual(copied.about, full.about);
  assert.deepEqual(copied.sender, full.sender);
});
