import { ThroughlineError } from '../../kernel/errors.ts';
import type { SqlExecutor } from '../../store/index.ts';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.ts';

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Starts TOTP enrolment for a signed-in user: a new secret is kept as pending until a code
 * from it is confirmed, so a half-finished enrolment never locks the user out. An account
 * that already has a second factor keeps it: replacing it is an administrator's act.
 */
export async function enrolTotp(db: SqlExecutor, userId: string, issuer: string): Promise<TotpEnrolment> {
  const secret = newTotpSecret();
  const result = await db.query<{ email: string }>(
    `UPDATE staff_user SET totp_pending_secret = $2 WHERE id = $1 AND totp_secret IS NULL RETURNING email`,
    [userId, secret],
  );
  const email = result.rows[0]?.email;
  if (!email) throw new ThroughlineError('CONFLICT', 'A second factor is already enrolled');
  return { secret, otpauthUri: otpauthUri(secret, email, issuer) };
}

/** Confirms enrolment with a code from the pending secret; from then on sign-in needs a code. */
export async function confirmTotp(db: SqlExecutor, userId: string, code: string): Promise<void> {
  const result = await db.query<{ totp_pending_secret: string | null }>(
    'SELECT totp_pending_secret FROM staff_user WHERE id = $1 AND totp_secret IS NULL',
    [userId],
  );
  const pending = result.rows[0]?.totp_pending_secret;
  const step = pending ? matchTotp(pending, code, { nowSeconds: nowSeconds() }) : undefined;
  if (!pending || step === undefined) {
    throw new ThroughlineError('INVALID_REQUEST', 'The code does not match a pending enrolment');
  }
  await db.query(
    `UPDATE staff_user SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = $2
     WHERE id = $1`,
    [userId, step],
  );
}

/**
 * The second factor `signIn` asks for: true when the user has no TOTP, or `code` matches a
 * step newer than the last one used. The step is claimed with a conditional UPDATE, so two
 * sign-ins racing with one code cannot both pass.
 */
export function totpFactor(db: SqlExecutor, code: string | undefined) {
  return async (userId: string): Promise<boolean> => {
    const result = await db.query<{ totp_secret: string | null; totp_last_step: string | null }>(
      'SELECT totp_secret, totp_last_step FROM staff_user WHERE id = $1',
      [userId],
    );
    const row = result.rows[0];
    if (!row?.totp_secret) return true;
    const lastStep = row.totp_last_step === null ? undefined : Number(row.totp_last_step);
    const step = code
      ? matchTotp(row.totp_secret, code, { nowSeconds: nowSeconds(), lastUsedStep: lastStep })
      : undefined;
    if (step === undefined) return false;
    const claimed = await db.query(
      `UPDATE staff_user SET totp_last_step = $2
       WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [userId, step],
    );
    return claimed.rows.length === 1;
  };
}
