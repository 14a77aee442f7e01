import {
  recordAudit,
  requestSignInCode,
  type CodeRequestOutcome,
  type RequestContext,
  type SignInIdentifier,
} from '../access/index.ts';
import { channelsFromConfig, closeChannels, type ChannelAdapters } from '../engagement/index.ts';
import type { Config } from '../kernel/config.ts';
import type { Logger } from '../kernel/logger.ts';
import type { SqlDatabase } from '../store/index.ts';
import { signInCodeSender } from './sign-in-code-sender.ts';

/** Code requests run after their answer has gone; `stop` lets those in flight finish. */
export interface SignInCodeService {
  /** Starts a request and returns at once: the caller's answer never waits on the account. */
  request(identifier: SignInIdentifier, context: RequestContext): void;
  stop(): Promise<void>;
}

export interface SignInCodeDeps {
  db: SqlDatabase;
  config: Config;
  logger: Logger;
  /** The key stored codes are keyed with (the token signing key; a domain prefix keeps them apart). */
  key: Uint8Array;
  /** Channel adapters other than the configured ones (tests). */
  channels?: ChannelAdapters;
}

/**
 * The API process's own channel adapters (the worker has its own for outreach), closed on stop.
 * Each request is audited as `login-code-request` with what became of it — sent, on which
 * channel, to which account, or why not — so the log answers what the caller never hears.
 */
export function startSignInCodes(deps: SignInCodeDeps): SignInCodeService {
  const { db, config, logger, key } = deps;
  const channels = deps.channels ?? channelsFromConfig(config, db);
  const send = signInCodeSender({ channels, config });
  const pending = new Set<Promise<void>>();
  return {
    request(identifier, context) {
      const work = requestSignInCode(db, { key, identifier, send })
        .then((outcome) => recordAudit(db, { context }, auditEntryOf(outcome)))
        .catch((error: unknown) => logger.error({ err: error }, 'sign-in code request failed'))
        .finally(() => pending.delete(work));
      pending.add(work);
    },
    async stop() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await closeChannels(channels);
    },
  };
}

function auditEntryOf(outcome: CodeRequestOutcome) {
  const to = outcome.userId ? ` to account ${outcome.userId}` : '';
  return {
    action: 'login-code-request',
    patients: [],
    outcome: outcome.sent ? ('success' as const) : ('failure' as const),
    detail: outcome.sent ? `code sent by ${outcome.channel}${to}` : `no code sent${to}: ${outcome.reason}`,
  };
}
