import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { ownQuietHours, quietHoursExtension, quietHoursOnRecord } from './quiet-hours.ts';

const record = (id: string, updated: string, hours?: { start: string; end: string }): Patient => ({
  resourceType: 'Patient',
  id,
  meta: { lastUpdated: updated },
  ...(hours ? { extension: [quietHoursExtension(hours)] } : {}),
});

test('her quiet hours round-trip through the extension as FHIR times', () => {
  const patient = record('a', '2026-12-01T00:00:00Z', { start: '21:30', end: '07:00' });
  assert.equal(patient.extension?.[0]?.extension?.[0]?.valueTime, '21:30:00');
  assert.deepEqual(quietHoursOnRecord(patient), { start: '21:30', end: '07:00' });
});

test('malformed or empty windows count as none (the clinic’s apply)', () => {
  const bad = (start: string, end: string): Patient => ({
    resourceType: 'Patient',
    extension: [
      {
        url: 'https://throughline.dev/fhir/StructureDefinition/quiet-hours',
        extension: [
          { url: 'start', valueTime: start },
          { url: 'end', valueTime: end },
        ],
      },
    ],
  });
  assert.equal(quietHoursOnRecord(bad('25:00:00', '07:00:00')), undefined);
  assert.equal(quietHoursOnRecord(bad('07:00:00', '07:00:00')), undefined);
  assert.equal(quietHoursOnRecord(record('x', '')), undefined);
});

test('the golden record’s first, else the most recently updated record that has them', () => {
  const golden = record('g', '2026-12-03T00:00:00Z');
  const older = record('o', '2026-12-01T00:00:00Z', { start: '20:00', end: '06:00' });
  const newer = record('n', '2026-12-02T00:00:00Z', { start: '22:00', end: '08:00' });
  assert.deepEqual(ownQuietHours([golden, older, newer]), { start: '22:00', end: '08:00' });
  const own = record('g', '2026-12-03T00:00:00Z', { start: '23:00', end: '09:00' });
  assert.deepEqual(ownQuietHours([own, older, newer]), { start: '23:00', end: '09:00' });
  assert.equal(ownQuietHours([golden]), undefined);
});
