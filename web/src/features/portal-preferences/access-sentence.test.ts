import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessSentence } from './access-sentence.ts';

test('an access to her record reads as a sentence: a verb, then the part of the record', () => {
  assert.equal(accessSentence({ action: 'read', what: 'Observation' }), 'Opened your results');
  assert.equal(accessSentence({ action: 'search', what: 'Appointment' }), 'Looked through your appointments');
  assert.equal(accessSentence({ action: 'update' }), 'Changed your record');
  assert.equal(accessSentence({ action: 'read', what: 'Coverage' }), 'Opened your record (Coverage)');
});

test('an action without a verb yet reads as its code in words, never with hyphens', () => {
  assert.equal(
    accessSentence({ action: 'portal-reschedule', what: 'Appointment' }),
    'Portal reschedule: your appointments',
  );
});
