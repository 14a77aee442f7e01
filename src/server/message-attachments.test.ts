import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Communication, OperationOutcome } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { patientToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { MAX_ATTACHMENT_BYTES } from './check-attachments.ts';

/** A 1×1 transparent PNG. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describeEachBackend('attachments on her secure messages: within limits, hers only', (backend) => {
  let platform: TestPlatform;
  let maya = '';
  let mayaToken = '';
  let otherToken = '';
  before(async () => {
    platform = await startTestPlatform(backend);
    maya = await platform.create({ resourceType: 'Patient', name: [{ family: 'Okafor' }] } as never);
    const other = await platform.create({ resourceType: 'Patient', name: [{ family: 'Other' }] } as never);
    mayaToken = await patientToken(platform, maya);
    otherToken = await patientToken(platform, other);
  });
  after(() => platform.stop());

  const message = (attachment: Record<string, unknown>) => ({
    resourceType: 'Communication',
    status: 'completed',
    subject: { reference: `Patient/${maya}` },
    sender: { reference: `Patient/${maya}` },
    payload: [
      { contentString: 'My rash, as asked.' },
      { contentAttachment: { title: 'rash.png', ...attachment } },
    ],
  });
  const post = (body: unknown, token = mayaToken) =>
    platform.fetch('/fhir/Communication', { method: 'POST', token, body: JSON.stringify(body) });
  const count = async () => {
    const bundle = (await (await platform.fetch('/fhir/Communication?_summary=count')).json()) as {
      total: number;
    };
    return bundle.total;
  };

  test('a PNG within the limit is stored and read back by her; another patient cannot read it', async () => {
    const posted = await post(message({ contentType: 'image/png', data: PNG, size: 70 }));
    assert.equal(posted.status, 201);
    const { id } = (await posted.json()) as Communication;
    const read = await platform.fetch(`/fhir/Communication/${id}`, { token: mayaToken });
    assert.equal(read.status, 200);
    const attachment = ((await read.json()) as Communication).payload![1]!.contentAttachment!;
    assert.equal(attachment.data, PNG);
    assert.equal(attachment.title, 'rash.png');
    const asOther = await platform.fetch(`/fhir/Communication/${id}`, { token: otherToken });
    assert.equal(asOther.status, 404);
    const searched = (await (await platform.fetch('/fhir/Communication', { token: otherToken })).json()) as {
      entry?: unknown[];
    };
    assert.equal(searched.entry?.length ?? 0, 0);
  });

  test('a type outside the list is 400 and one over 2 MB is 413, each naming the path; nothing written', async () => {
    const before = await count();
    const wrongType = await post(message({ contentType: 'text/html', data: PNG }));
    assert.equal(wrongType.status, 400);
    const typeOutcome = (await wrongType.json()) as OperationOutcome;
    assert.deepEqual(typeOutcome.issue[0]?.expression, [
      'Communication.payload[1].contentAttachment.contentType',
    ]);
    const tooLarge = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 7).toString('base64');
    const large = await post(message({ contentType: 'application/pdf', data: tooLarge }));
    assert.equal(large.status, 413);
    const sizeOutcome = (await large.json()) as OperationOutcome;
    assert.deepEqual(sizeOutcome.issue[0]?.expression, ['Communication.payload[1].contentAttachment.data']);
    const inBundle = await platform.fetch('/fhir', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: message({ contentType: 'image/gif', data: PNG }),
            request: { method: 'POST', url: 'Communication' },
          },
        ],
      }),
    });
    assert.equal(inBundle.status, 400);
    const bundleOutcome = (await inBundle.json()) as OperationOutcome;
    assert.deepEqual(bundleOutcome.issue[0]?.expression, [
      'Bundle.entry[0].resource.payload[1].contentAttachment.contentType',
    ]);
    assert.equal(await count(), before);
  });
});
