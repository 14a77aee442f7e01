import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform(pgliteBackend);
});
after(() => platform.stop());

interface Me {
  roles: string[];
  roleDisplays: string[];
  operations: string[];
  resources: Record<string, string>;
}

async function me(role: string): Promise<Me> {
  const response = await platform.fetch('/api/me', { token: await staffToken(platform, role) });
  assert.equal(response.status, 200);
  return (await response.json()) as Me;
}

test('GET /api/me lists what the caller’s roles may do, as the role matrix says', async () => {
  const frontDesk = await me('front-desk');
  assert.deepEqual(frontDesk.roles, ['front-desk']);
  assert.deepEqual(frontDesk.roleDisplays, ['Front desk'], 'the role as the role matrix names it');
  assert.ok(frontDesk.operations.includes('engagement-send'));
  assert.ok(!frontDesk.operations.includes('assign-work'));
  assert.match(frontDesk.resources.Appointment!, /c/);
  assert.equal(frontDesk.resources.Observation, '', 'no lab values for the front desk');
  const manager = await me('practice-manager');
  assert.doesNotMatch(manager.resources.Appointment!, /c/, 'a practice manager does not book');
  assert.ok(!manager.operations.includes('engagement-send'), 'nor sends messages');
  assert.equal((await fetch(`${platform.url}/api/me`)).status, 401);
});
