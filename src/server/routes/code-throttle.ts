import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseSignInIdentifier } from '../../access/index.ts';
import type { Config } from '../../kernel/config.ts';
import { limitedBy, type ThrottleHook } from './auth-throttle.ts';
import { formOf } from './oauth-replies.ts';

/** Codes live ten minutes; their limits count over fifteen, so one window spans a code's life. */
const CODE_WINDOW_MS = 15 * 60_000;

/** The identifier as accounts hold it (so `+1 541…` and `+1541…` count as one), or the raw text. */
function identifierKey(request: FastifyRequest): string {
  const raw = formOf(request.body).identifier ?? '';
  try {
    return parseSignInIdentifier(raw).value;
  } catch {
    return raw;
  }
}

/**
 * Limits of `POST /auth/code/request` and `/auth/code/verify` (the rate-limit plugin must be
 * registered in `scope`): per identifier from ANY address — a code's six digits must not be
 * guessed from many places, and nobody's phone flooded — and per address over all identifiers.
 * Unknown identifiers are counted exactly like known ones, so a 429 tells nothing either.
 */
export function codeThrottles(
  scope: FastifyInstance,
  config: Config,
): { request: ThrottleHook; verify: ThrottleHook } {
  const perIdentifier = (purpose: string, max: number) =>
    scope.createRateLimit({
      max,
      timeWindow: CODE_WINDOW_MS,
      keyGenerator: (request) => `code-${purpose}|${identifierKey(request)}`,
    });
  const perAddress = scope.createRateLimit({
    max: config.signInCodeAttemptsPerAddress,
    timeWindow: CODE_WINDOW_MS,
    keyGenerator: (request) => `${request.ip}|sign-in-code`,
  });
  return {
    request: limitedBy([perIdentifier('request', config.signInCodeRequestsPerIdentifier), perAddress]),
    verify: limitedBy([perIdentifier('verify', config.signInCodeVerifiesPerIdentifier), perAddress]),
  };
}
