import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { SqlExecutor } from '../../store/index.ts';
import type { SignInIdentifier } from './sign-in-identifier.ts';

/** How long a code lives (NIST SP 800-63B §5.1.3: an out-of-band secret is valid ≤ 10 minutes). */
export const CODE_TTL_MINUTES = 10;
/** Guesses allowed at one code; after them it is void, right or wrong. */
export const MAX_CODE_ATTEMPTS = 5;

/** The secret that keys the stored codes: a 6-digit code's plain hash could be reversed by trying all 10⁶. */
export interface CodeKey {
  key: Uint8Array;
}

/** A code issued to an account, and where it goes. */
export interface IssuedCode {
  userId: string;
  code: string;
  channel: 'email' | 'sms';
  /** The account's email address or mobile number (E.164). */
  to: string;
}

/** `000000`–`999999`, uniformly, from the operating system's CSPRNG (`crypto.randomInt`). */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

function codeHash(key: Uint8Array, userId: string, code: string): string {
  return createHmac('sha256', key).update(`sign-in-code:${userId}:${code}`).digest('base64url');
}

/** The condition on `staff_user` of the account a code may sign in to (`$1` the identifier). */
function accountWhere(identifier: SignInIdentifier): string {
  const column = identifier.kind === 'email' ? 'email' : 'phone';
  return `${column} = $1 AND patient_id IS NOT NULL AND totp_secret IS NULL`;
}

/**
 * The account a code may sign in to: one acting for a patient (a patient's or proxy's), found
 * by its email or its mobile number. Staff accounts are never reached: their sign-in is a
 * password and a second factor, which a code by email would weaken; nor is an account that has
 * enrolled TOTP.
 */
async function codeAccount(db: SqlExecutor, identifier: SignInIdentifier) {
  const result = await db.query<{ id: string }>(
    `SELECT id FROM staff_user WHERE ${accountWhere(identifier)}`,
    [identifier.value],
  );
  return result.rows[0];
}

/**
 * A new code for the account the identifier names, sent on the identifier's channel; undefined
 * when no account may sign in by code. It replaces any code the account had: only the latest
 * works, with a fresh count of attempts.
 */
export async function issueSignInCode(
  db: SqlExecutor,
  input: CodeKey & { identifier: SignInIdentifier },
): Promise<IssuedCode | undefined> {
  const { identifier } = input;
  const account = await codeAccount(db, identifier);
  if (!account) return undefined;
  const code = newCode();
  const channel = identifier.kind === 'email' ? 'email' : 'sms';
  await db.query(
    `INSERT INTO sign_in_code (user_id, code_hash, channel, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4))
     ON CONFLICT (user_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, channel = EXCLUDED.channel,
       attempts = 0, created_at = now(), expires_at = EXCLUDED.expires_at`,
    [account.id, codeHash(input.key, account.id, code), channel, CODE_TTL_MINUTES],
  );
  return { userId: account.id, code, channel, to: identifier.value };
}

/**
 * Spends the account's code: the account id when `code` is its live code, else undefined.
 * Every guess is counted first, in one statement that also finds the account — so an unknown
 * identifier costs the same one query as a known one, and concurrent guesses cannot exceed the
 * five; the right code is then deleted, and only the request that deleted it signs in.
 */
export async function consumeSignInCode(
  db: SqlExecutor,
  input: CodeKey & { identifier: SignInIdentifier; code: string },
): Promise<string | undefined> {
  const counted = await db.query<{ user_id: string; code_hash: string }>(
    `UPDATE sign_in_code SET attempts = attempts + 1
     WHERE user_id = (SELECT id FROM staff_user WHERE ${accountWhere(input.identifier)})
       AND attempts < $2 AND expires_at > now()
     RETURNING user_id, code_hash`,
    [input.identifier.value, MAX_CODE_ATTEMPTS],
  );
  const row = counted.rows[0];
  const given = codeHash(input.key, row?.user_id ?? '', input.code);
  if (!row || !sameText(row.code_hash, given)) return undefined;
  const spent = await db.query('DELETE FROM sign_in_code WHERE user_id = $1 AND code_hash = $2 RETURNING 1', [
    row.user_id,
    row.code_hash,
  ]);
  return spent.rows.length === 1 ? row.user_id : undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
