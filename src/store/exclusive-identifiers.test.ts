import { testStorePerSuite } from './testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Slot } from '@medplum/fhirtypes';
import { describeEachBackend } from './testing/backends.ts';
import { EXCLUSIVE_IDENTIFIER_SYSTEM } from './write/exclusive-claims.ts';
import { isThroughlineError } from '../kernel/errors.ts';

const slot = (claims: string[], start = '2026-12-04T10:00:00Z'): Slot => ({
  resourceType: 'Slot',
  schedule: { reference: 'Schedule/s1' },
  status: 'busy',
  start,
  end: '2026-12-04T10:20:00Z',
  identifier: claims.map((value) => ({ system: EXCLUSIVE_IDENTIFIER_SYSTEM, value })),
});

describeEachBackend('exclusive identifiers', (backend) => {
  const { repo } = testStorePerSuite(backend);

  test('20 concurrent creates claiming one value: exactly one commits, the rest get CONFLICT', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) => repo.create(slot(['race@10:00', `race-own-${n}`]))),
    );
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    for (const result of results)
      if (result.status === 'rejected')
        assert.ok(
          isThroughlineError(result.reason) && result.reason.code === 'CONFLICT',
          String(result.reason),
        );
  });

  test('an update that drops the claim releases it; a delete does too', async () => {
    const held = await repo.create(slot(['release@10:00']));
    await assert.rejects(repo.create(slot(['release@10:00'])), { code: 'CONFLICT' });
    await repo.update({ ...held.resource, status: 'free', identifier: undefined });
    const again = await repo.create(slot(['release@10:00']));
    await repo.delete('Slot', again.resource.id);
    await repo.create(slot(['release@10:00']));
  });

  test('one transaction may move a claim from one resource to another', async () => {
    const held = await repo.create(slot(['move@10:00', 'move@10:05']));
    const response = await repo.processBundle({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { ...held.resource, status: 'free', identifier: undefined },
          request: { method: 'PUT', url: `Slot/${held.resource.id}` },
        },
        { resource: slot(['move@10:05', 'move@10:10']), request: { method: 'POST', url: 'Slot' } },
      ],
    });
    assert.equal(response.entry?.[1]?.response?.status, '201 Created');
  });

  test('other identifier systems stay free to repeat', async () => {
    const shared = { system: 'http://example.org/ids', value: 'same' };
    await repo.create({ ...slot([]), identifier: [shared] });
    await repo.create({ ...slot([]), identifier: [shared] });
  });
});
