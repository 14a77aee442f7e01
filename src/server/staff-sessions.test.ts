import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase32, hotp, stepAt } from '../access/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { addStaffUser, auditCount, login, loginToken, STAFF_PASSWORD } from './testing/auth-flows.ts';
import { platformPerSuite } from './testing/test-platform.ts';

const codeAt = (secret: string, step: number) => hotp(fromBase32(secret), step);
const nowStep = () => stepAt(Math.floor(Date.now() / 1000));

describeEachBackend('staff sessions and TOTP over HTTP', (backend) => {
  const platform = platformPerSuite(backend);

  const readPatients = (token: string) => platform.fetch('/fhir/Patient?_count=1', { token });
  const sessionOf = async (token: string) => JSON.parse(atob(token.split('.')[1]!)).sid as string;

  test('logout revokes the session server-side: the same token is then refused and audited', async () => {
    await addStaffUser(platform, 'logout@test.clinic');
    const token = await loginToken(platform, 'logout@test.clinic');
    assert.ok(await sessionOf(token), 'the token names its session');
    assert.equal((await readPatients(token)).status, 200);
    const logout = await platform.fetch('/auth/logout', { method: 'POST', token });
    assert.equal(logout.status, 204);
    const rejectedBefore = await auditCount(platform, 'auth-rejected');
    assert.equal((await readPatients(token)).status, 401);
    assert.equal(await auditCount(platform, 'auth-rejected'), rejectedBefore + 1);
    assert.equal((await platform.fetch('/auth/logout', { method: 'POST', token })).status, 401);
  });

  test('a session idle past the timeout, or past its absolute limit, ends', async () => {
    await addStaffUser(platform, 'idle@test.clinic');
    const idle = await loginToken(platform, 'idle@test.clinic');
    const busy = await loginToken(platform, 'idle@test.clinic');
    await platform.db.query(
      `UPDATE auth_session SET last_seen_at = now() - interval '31 minutes' WHERE id = $1`,
      [await sessionOf(idle)],
    );
    await platform.db.query(
      `UPDATE auth_session SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [await sessionOf(busy)],
    );
    assert.equal((await readPatients(idle)).status, 401);
    assert.equal((await readPatients(busy)).status, 401);
    const fresh = await loginToken(platform, 'idle@test.clinic');
    assert.equal((await readPatients(fresh)).status, 200, 'a new sign-in is unaffected');
  });

  test('TOTP: enrol, confirm, then sign-in needs a fresh code; failures look like any other', async () => {
    await addStaffUser(platform, 'mfa@test.clinic');
    const token = await loginToken(platform, 'mfa@test.clinic');
    const enrol = await platform.fetch('/auth/mfa/totp', { method: 'POST', token });
    assert.equal(enrol.status, 200);
    const { secret, otpauth_uri } = (await enrol.json()) as { secret: string; otpauth_uri: string };
    assert.match(otpauth_uri, /^otpauth:\/\/totp\/Throughline:mfa%40test\.clinic\?secret=/);
    // Not yet confirmed: a password alone still signs in.
    assert.equal((await login(platform, 'mfa@test.clinic')).status, 200);
    const confirmBody = (code: string) => ({
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    const wrong = await platform.fetch('/auth/mfa/totp/confirm', confirmBody('000000'));
    assert.equal(wrong.status, 400);
    const step = nowStep();
    assert.equal(
      (await platform.fetch('/auth/mfa/totp/confirm', confirmBody(codeAt(secret, step)))).status,
      204,
    );
    assert.equal((await platform.fetch('/auth/mfa/totp', { method: 'POST', token })).status, 409);

    const unknown = await login(platform, 'nobody@test.clinic');
    const noCode = await login(platform, 'mfa@test.clinic');
    const badCode = await login(platform, 'mfa@test.clinic', { password: STAFF_PASSWORD, code: '123456' });
    assert.equal(noCode.status, 401);
    assert.equal(badCode.status, 401);
    assert.deepEqual(noCode.body, unknown.body, 'a missing code answers like an unknown account');
    assert.deepEqual(badCode.body, unknown.body);
    const next = codeAt(secret, step + 1);
    assert.equal(
      (await login(platform, 'mfa@test.clinic', { password: STAFF_PASSWORD, code: next })).status,
      200,
    );
    assert.equal(
      (await login(platform, 'mfa@test.clinic', { password: STAFF_PASSWORD, code: next })).status,
      401,
      'a code works once',
    );
    const failures = await platform.db.query<{ failed_attempts: number }>(
      `SELECT f.failed_attempts FROM sign_in_failure f JOIN staff_user u ON u.id = f.user_id
       WHERE u.email = 'mfa@test.clinic'`,
    );
    assert.equal(failures.rows[0]!.failed_attempts, 1, 'the replayed code counted; success reset the rest');
  });

  test('wrong codes count toward lockout; a locked account answers exactly like a wrong password', async () => {
    await addStaffUser(platform, 'lock@test.clinic');
    const token = await loginToken(platform, 'lock@test.clinic');
    const enrol = await platform.fetch('/auth/mfa/totp', { method: 'POST', token });
    const { secret } = (await enrol.json()) as { secret: string };
    const step = nowStep();
    const confirmed = await platform.fetch('/auth/mfa/totp/confirm', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: codeAt(secret, step) }),
    });
    assert.equal(confirmed.status, 204);
    for (let attempt = 0; attempt < 5; attempt++) {
      assert.equal(
        (await login(platform, 'lock@test.clinic', { password: STAFF_PASSWORD, code: '000000' })).status,
        401,
      );
    }
    const locked = await login(platform, 'lock@test.clinic', {
      password: STAFF_PASSWORD,
      code: codeAt(secret, step + 1),
    });
    assert.equal(locked.status, 401, 'the right password and code do not open a locked account');
    assert.deepEqual(locked.body, (await login(platform, 'nobody@test.clinic')).body);
  });

  test('lockout backs off: 15 minutes after 5 failures, 30 after 10', async () => {
    await addStaffUser(platform, 'backoff@test.clinic');
    const lockedFor = async () => {
      const result = await platform.db.query<{ minutes: number }>(
        `SELECT round(extract(epoch FROM f.locked_until - now()) / 60)::integer AS minutes
         FROM sign_in_failure f JOIN staff_user u ON u.id = f.user_id WHERE u.email = 'backoff@test.clinic'`,
      );
      return result.rows[0]!.minutes;
    };
    for (let attempt = 0; attempt < 5; attempt++)
      await login(platform, 'backoff@test.clinic', { password: 'wrong' });
    assert.equal(await lockedFor(), 15);
    for (let attempt = 0; attempt < 5; attempt++)
      await login(platform, 'backoff@test.clinic', { password: 'wrong' });
    assert.equal(await lockedFor(), 30);
  });

  test('an app token cannot enrol a second factor', async () => {
    const anonymous = await platform.fetch('/auth/mfa/totp', { method: 'POST', token: '' });
    assert.equal(anonymous.status, 401);
    const system = await platform.fetch('/auth/mfa/totp', { method: 'POST' });
    assert.equal(system.status, 403, 'a client-credentials token has no sign-in');
  });
});
