import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../../kernel/config.ts';
import { clientCredentials, formOf, oauthError } from './oauth-replies.ts';

/** Whose credentials a request tries: the email at sign-in, the client id elsewhere. */
export type AccountOf = (request: FastifyRequest) => string;

export type ThrottleHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | void>;

const WINDOW_MS = 60_000;

export const loginAccount: AccountOf = (request) => (formOf(request.body).email ?? '').trim().toLowerCase();
/** The client id, or the client a signed assertion claims to be from (its `iss`, not yet verified). */
export const tokenClient: AccountOf = (request) => {
  const form = formOf(request.body);
  return form.client_assertion ? claimedIssuer(form.client_assertion) : clientCredentials(request, form).id;
};

function claimedIssuer(assertion: string): string {
  try {
    const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      iss?: unknown;
    };
    return typeof claims.iss === 'string' ? claims.iss : '';
  } catch {
    return '';
  }
}
export const authorizeClient: AccountOf = (request) =>
  (request.query as Record<string, string | undefined>).client_id ?? '';

/**
 * Throttling of credential guessing (`@fastify/rate-limit`, registered with `global: false` so
 * the rest of the API is untouched): per address and account or client
 * (AUTH_RATE_LIMIT_PER_ACCOUNT a minute), and per address over all of them
 * (AUTH_RATE_LIMIT_PER_ADDRESS). Runs as a preHandler, before any Argon2 work; the answer is
 * 429 with `Retry-After` in OAuth's error format. Keying by address and account means one
 * guesser cannot throttle the same account for everyone else.
 */
export async function authThrottle(scope: FastifyInstance, config: Config) {
  await scope.register(rateLimit, { global: false });
  const perAddress = scope.createRateLimit({
    max: config.authRateLimitPerAddress,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => `${request.ip}|auth`,
  });
  return (account: AccountOf): ThrottleHook => {
    const perAccount = scope.createRateLimit({
      max: config.authRateLimitPerAccount,
      timeWindow: WINDOW_MS,
      keyGenerator: (request) => `${request.ip}|${account(request)}`,
    });
    return limitedBy([perAccount, perAddress]);
  };
}

/** A limiter made by the rate-limit plugin's `createRateLimit`: counts the request, says whether it may go. */
export type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Runs the limiters in order (each counts the request); the first exceeded answers 429
 * `temporarily_unavailable` with `Retry-After`, in OAuth's error format.
 */
export function limitedBy(limiters: Limiter[]): ThrottleHook {
  return async (request, reply) => {
    for (const limiter of limiters) {
      const result = await limiter(request);
      if (result.isAllowed || !result.isExceeded) continue;
      const seconds = String(Math.max(1, result.ttlInSeconds));
      reply.header('Retry-After', seconds);
      return oauthError(reply, {
        status: 429,
        error: 'temporarily_unavailable',
        description: `Too many attempts; retry after ${seconds} s`,
      });
    }
  };
}
