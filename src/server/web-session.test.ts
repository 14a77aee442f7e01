import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../store/testing/backends.ts';
import { addStaffUser, STAFF_PASSWORD } from './testing/auth-flows.ts';
import { platformPerSuite } from './testing/test-platform.ts';

describeEachBackend('the web app session: token in memory, renewed with an HttpOnly cookie', (backend) => {
  const platform = platformPerSuite(backend);

  const signIn = async (email: string) => {
    const response = await fetch(`${platform.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: STAFF_PASSWORD }),
    });
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie') ?? '';
    const body = (await response.json()) as { access_token: string; session: { idle_seconds: number } };
    return { cookie: cookie.split(';')[0]!, setCookie: cookie, body };
  };
  const renew = (cookie: string, headers: Record<string, string> = { 'x-throughline-web': '1' }) =>
    fetch(`${platform.url}/auth/session/token`, { method: 'POST', headers: { cookie, ...headers } });

  test('sign-in sets an HttpOnly, SameSite=Strict cookie scoped to /auth/session and says the limits', async () => {
    await addStaffUser(platform, 'web@test.clinic');
    const { setCookie, body } = await signIn('web@test.clinic');
    assert.match(
      setCookie,
      /^throughline_session=[\w-]+\.[\w-]+; Path=\/auth\/session; HttpOnly; SameSite=Strict/,
    );
    assert.equal(body.session.idle_seconds, 30 * 60);
  });

  test('the cookie renews the token; the new token works and names the same session', async () => {
    await addStaffUser(platform, 'renew@test.clinic');
    const { cookie, body } = await signIn('renew@test.clinic');
    const renewed = await renew(cookie);
    assert.equal(renewed.status, 200);
    const answer = (await renewed.json()) as { access_token: string; session: { expires_in: number } };
    assert.ok(answer.session.expires_in > 11 * 3600);
    const sid = (token: string) => JSON.parse(atob(token.split('.')[1]!)).sid;
    assert.equal(sid(answer.access_token), sid(body.access_token));
    const read = await platform.fetch('/fhir/Patient?_count=1', { token: answer.access_token });
    assert.equal(read.status, 200);
  });

  test('refused: without the web header, with a forged signature, after logout', async () => {
    await addStaffUser(platform, 'forged@test.clinic');
    const { cookie, body } = await signIn('forged@test.clinic');
    assert.equal((await renew(cookie, {})).status, 403, 'a cross-site form cannot send the header');
    const [name, value] = cookie.split('=');
    const sessionId = value!.split('.')[0]!;
    assert.equal((await renew(`${name}=${sessionId}.forged`)).status, 401);
    assert.equal((await renew(`${name}=${sessionId}`)).status, 401, 'the sid claim alone is not enough');
    const logout = await fetch(`${platform.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    assert.match(logout.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal((await renew(cookie)).status, 401, 'logout ends the cookie with the session');
  });

  test('an idle session cannot be renewed', async () => {
    await addStaffUser(platform, 'idle-web@test.clinic');
    const { cookie } = await signIn('idle-web@test.clinic');
    const sessionId = cookie.split('=')[1]!.split('.')[0]!;
    await platform.db.query(
      `UPDATE auth_session SET last_seen_at = now() - interval '31 minutes' WHERE id = $1`,
      [sessionId],
    );
    assert.equal((await renew(cookie)).status, 401);
  });
});
