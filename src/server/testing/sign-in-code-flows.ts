import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { upsertUser } from '../../access/index.ts';
import type { TestPlatform } from './test-platform.ts';

/** Helpers for tests of a patient's sign-in by a one-time code over the real HTTP API. */
export interface CodeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/**
 * `POST /auth/code/{request|verify}` with a JSON body, from a loopback address of the caller's
 * choosing (the whole of 127/8 is this machine), so per-address limits can be told apart.
 */
export function postCode(
  platform: TestPlatform,
  call: { step: 'request' | 'verify'; body: Record<string, string>; from?: string },
): Promise<CodeAnswer> {
  const url = new URL(`/auth/code/${call.step}`, platform.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: 'POST',
        localAddress: call.from ?? '127.0.0.1',
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(call.body));
  });
}

/** A patient's portal account (with a Patient record of her own) reachable by email and mobile. */
export async function addPatientAccount(
  platform: TestPlatform,
): Promise<{ email: string; phone: string; patient: string }> {
  const tag = randomBytes(4).toString('hex');
  const phone = `+1555${String(parseInt(tag, 16) % 10_000_000).padStart(7, '0')}`;
  const email = `patient-${tag}@example.test`;
  const patient = await platform.create({
    resourceType: 'Patient',
    name: [{ family: `Code-${tag}`, given: ['Pat'] }],
    telecom: [
      { system: 'email', value: email },
      { system: 'phone', use: 'mobile', value: phone },
    ],
  } as { resourceType: string });
  await upsertUser(platform.db, {
    email,
    phone,
    displayName: `Pat Code-${tag}`,
    password: randomBytes(16).toString('hex'),
    roles: ['patient'],
    scopes: ['patient/*.cruds'],
    patient,
  });
  return { email, phone, patient };
}

/** The `login-code-request` audit row of a request: written once the request's work is done. */
export async function codeRequestAudit(
  platform: TestPlatform,
  requestId: string,
): Promise<{ outcome: string; detail: string }> {
  for (let waited = 0; waited < 5000; waited += 20) {
    const result = await platform.db.query<{ outcome: string; detail: string }>(
      `SELECT outcome, detail FROM audit_log WHERE request_id = $1 AND action = 'login-code-request'`,
      [requestId],
    );
    if (result.rows[0]) return result.rows[0];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no login-code-request audit row for request ${requestId}`);
}

/** The 6-digit code in a message's text. */
export function codeIn(text: string | undefined): string {
  const code = /\b(\d{6})\b/.exec(text ?? '')?.[1];
  if (!code) throw new Error(`no 6-digit code in: ${text}`);
  return code;
}
