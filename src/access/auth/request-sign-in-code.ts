import type { SqlExecutor } from '../../store/index.ts';
import { CODE_TTL_MINUTES, issueSignInCode, type CodeKey } from './sign-in-codes.ts';
import type { SignInIdentifier } from './sign-in-identifier.ts';

/** A code to deliver: the port's one message. */
export interface SignInCodeMessage {
  channel: 'email' | 'sms';
  /** Email address or E.164 mobile number. */
  to: string;
  code: string;
  expiresInMinutes: number;
}

/**
 * The port access declares and the composition root implements (with engagement's channel
 * adapters): delivers one code, or says why it could not. Access never imports a channel.
 */
export type SendSignInCode = (
  message: SignInCodeMessage,
) => Promise<{ ok: true } | { ok: false; reason: string }>;

/** What became of a request, for the audit record (never for the caller: she always hears the same). */
export type CodeRequestOutcome =
  | { sent: false; reason: string; userId?: string; channel?: 'email' | 'sms' }
  | { sent: true; userId: string; channel: 'email' | 'sms' };

/**
 * Issues a code for the account the identifier names and sends it on that channel. No account
 * (or one that may not sign in by code) is an outcome like any other: nothing is sent.
 */
export async function requestSignInCode(
  db: SqlExecutor,
  input: CodeKey & { identifier: SignInIdentifier; send: SendSignInCode },
): Promise<CodeRequestOutcome> {
  const issued = await issueSignInCode(db, input);
  if (!issued) return { sent: false, reason: 'no account may sign in by code with this identifier' };
  const { userId, channel, to, code } = issued;
  const result = await input.send({ channel, to, code, expiresInMinutes: CODE_TTL_MINUTES });
  if (!result.ok) return { sent: false, reason: result.reason, userId, channel };
  return { sent: true, userId, channel };
}
