import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { prepareBundle, relativeRequestUrl } from './prepare-bundle.ts';
import { stableId } from './stable-id.ts';

const patientUuid = '43b6ae50-2cca-4934-ad38-282f8934b770';
const orgUuid = '6f122869-a856-3d65-8db9-099bf4f5bbb8';

function syntheaLike(): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:${orgUuid}`,
        resource: { resourceType: 'Organization', name: 'Clinic' },
        request: { method: 'POST', url: 'Organization' },
      },
      {
        fullUrl: `urn:uuid:${patientUuid}`,
        resource: { resourceType: 'Patient', managingOrganization: { reference: `urn:uuid:${orgUuid}` } },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: 'urn:uuid:0e99785d-8f2a-45c7-848c-d6b31d1aa50e',
        resource: {
          resourceType: 'Observation',
          status: 'final',
          code: { text: 'x' },
          subject: { reference: `urn:uuid:${patientUuid}` },
        },
        request: { method: 'POST', url: 'Observation' },
      },
      { request: { method: 'GET', url: 'Patient?name=x' } },
    ],
  };
}

test('POST with a urn:uuid fullUrl becomes PUT Type/<uuid>, references follow, reads are dropped', () => {
  const { bundle, skipped, claimed, originalIndex } = prepareBundle(syntheaLike(), new Set());
  assert.deepEqual(
    bundle.entry?.map((e) => `${e.request?.method} ${e.request?.url}`),
    [
      `PUT Organization/${orgUuid}`,
      `PUT Patient/${patientUuid}`,
      'PUT Observation/0e99785d-8f2a-45c7-848c-d6b31d1aa50e',
    ],
  );
  assert.equal(bundle.entry?.[1]?.resource?.id, patientUuid);
  assert.equal((bundle.entry?.[2]?.resource as Observation).subject?.reference, `Patient/${patientUuid}`);
  assert.equal(skipped, 1);
  assert.deepEqual(originalIndex, [0, 1, 2]);
  assert.equal(claimed.length, 3);
});

test('a resource claimed by an earlier file of the run is dropped, and references to it still resolve', () => {
  const claimed = new Set([`Organization/${orgUuid}`]);
  const { bundle, skipped, originalIndex } = prepareBundle(syntheaLike(), claimed);
  assert.equal(bundle.entry?.length, 2);
  assert.equal(skipped, 2);
  assert.deepEqual(originalIndex, [1, 2]);
  assert.equal(
    (bundle.entry?.[0]?.resource as { managingOrganization?: { reference?: string } }).managingOrganization
      ?.reference,
    `Organization/${orgUuid}`,
  );
});

test('other fullUrls get a stable id; conditional creates and PUTs are left to the store', () => {
  const { bundle } = prepareBundle(
    {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        {
          fullUrl: 'http://other/fhir/Patient/a',
          resource: { resourceType: 'Patient' },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: { resourceType: 'Patient' },
          request: { method: 'POST', url: 'Patient', ifNoneExist: 'Patient?identifier=s|1' },
        },
        {
          resource: { resourceType: 'Patient', id: 'p1' },
          request: { method: 'PUT', url: 'http://hl7.org/fhir/Patient/p1' },
        },
      ],
    },
    new Set(),
  );
  assert.equal(bundle.entry?.[0]?.request?.url, `Patient/${stableId('http://other/fhir/Patient/a')}`);
  assert.deepEqual(bundle.entry?.[1]?.request, {
    method: 'POST',
    url: 'Patient',
    ifNoneExist: 'identifier=s|1',
  });
  assert.equal(bundle.entry?.[2]?.request?.url, 'Patient/p1');
});

test('relativeRequestUrl keeps relative URLs and cuts absolute ones to Type[/id][?query]', () => {
  assert.equal(relativeRequestUrl('Patient/1'), 'Patient/1');
  assert.equal(relativeRequestUrl('http://hl7.org/fhir/us/sdc/ValueSet/LL1-9'), 'ValueSet/LL1-9');
  assert.equal(relativeRequestUrl('https://x/fhir/Patient?identifier=a|b'), 'Patient?identifier=a|b');
});

test('stableId is deterministic and UUID-shaped', () => {
  assert.equal(stableId('a'), stableId('a'));
  assert.notEqual(stableId('a'), stableId('b'));
  assert.match(stableId('a'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
