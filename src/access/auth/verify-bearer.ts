import { decodeJwt, errors as joseErrors } from 'jose';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SqlExecutor } from '../../store/index.ts';
import { recordAudit } from '../audit.ts';
import type { RequestContext } from '../principal.ts';
import { readAccessToken, type TokenSettings, type VerifiedToken } from '../tokens.ts';
import type { AuthSettings } from './auth-settings.ts';
import { createExternalTokenVerifier } from './external-oidc.ts';
import { useSession } from './sessions.ts';

export interface BearerVerifier {
  /** The caller of an `Authorization: Bearer …` header, or an UNAUTHENTICATED error (audited). */
  authenticate(authorization: string | undefined, context: RequestContext): Promise<VerifiedToken>;
}

const BEARER = /^bearer (.*)$/is;

/** Why a token was refused, for the audit row only: callers get one generic answer. */
class Refused extends Error {}

/**
 * The one bearer-token check: local tokens (HS256, issuer, audience, expiry, then the
 * server-side session named by `sid`) or, when configured, the external OpenID Connect
 * provider's tokens (by their `iss`). Every refused token leaves an `auth-rejected` audit row
 * saying why; a request with no token at all is only challenged.
 */
export function createBearerVerifier(
  db: SqlExecutor,
  tokens: TokenSettings,
  settings: AuthSettings,
): BearerVerifier {
  const verify = tokenVerifier(db, tokens, settings);
  return {
    async authenticate(authorization, context) {
      // RFC 9110 §11.1: the scheme name is case-insensitive (`bearer xyz` is a bearer token).
      const token = BEARER.exec(authorization ?? '')?.[1]?.trim();
      if (token === undefined) {
        throw new ThroughlineError('UNAUTHENTICATED', 'A bearer token is required (POST /oauth2/token)');
      }
      try {
        return await verify(token);
      } catch (error) {
        const reason = reasonOf(error);
        if (!reason) throw error;
        await recordAudit(
          db,
          { context },
          {
            action: 'auth-rejected',
            patients: [],
            outcome: 'failure',
            detail: reason,
          },
        );
        const message =
          error instanceof joseErrors.JWTExpired ? 'Access token expired' : 'Invalid access token';
        throw new ThroughlineError('UNAUTHENTICATED', message);
      }
    },
  };
}

/**
 * Checks a token: the external identity provider's when it names that issuer, else our own,
 * whose user tokens must belong to a live session.
 */
function tokenVerifier(
  db: SqlExecutor,
  tokens: TokenSettings,
  settings: AuthSettings,
): (token: string) => Promise<VerifiedToken> {
  const external = settings.oidc ? createExternalTokenVerifier(settings.oidc) : undefined;

  const verifyLocal = async (token: string): Promise<VerifiedToken> => {
    const verified = await readAccessToken(tokens, token);
    if (verified.principal.kind === 'user' && !verified.sessionId)
      throw new Refused('user token without a session');
    if (verified.sessionId && !(await useSession(db, verified.sessionId))) throw new Refused('session ended');
    return verified;
  };

  return async (token: string): Promise<VerifiedToken> => {
    if (external && settings.oidc && issuerOf(token) === settings.oidc.issuer) {
      return { principal: await external(token) };
    }
    return verifyLocal(token);
  };
}

/** The unverified `iss`, only to choose which verifier checks the token. */
function issuerOf(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/** A short reason for the audit row; undefined for errors that are not about the token (rethrown). */
function reasonOf(error: unknown): string | undefined {
  if (error instanceof Refused) return error.message;
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `claim ${error.claim} invalid (${error.reason})`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no matching key in the provider JWKS';
  if (error instanceof joseErrors.JOSEError) return `token refused (${error.code})`;
  // A key that cannot serve the token's algorithm (HS256 with an RSA JWK) is a TypeError in jose.
  if (error instanceof TypeError) return `token refused (${error.message.slice(0, 80)})`;
  return undefined;
}
