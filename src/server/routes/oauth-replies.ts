import type { FastifyReply, FastifyRequest } from 'fastify';

export type Form = Record<string, string | undefined>;

/** Form bodies arrive as ordered pairs (body-parsers.ts); JSON bodies as objects. */
export function formOf(body: unknown): Form {
  if (Array.isArray(body)) return Object.fromEntries(body as [string, string][]);
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => [key, String(value)]),
  );
}

/** An RFC 6749 §5.2 error: the HTTP status, the error code and its human-readable description. */
export interface OAuthErrorAnswer {
  status: number;
  /** The RFC 6749 error code, e.g. `invalid_grant`. */
  error: string;
  /** Sent as `error_description`. */
  description: string;
  /**
   * The 401's `WWW-Authenticate` scheme: `Basic` (client authentication, RFC 6749 §5.2) unless
   * said otherwise. A sign-in form's refusal must not say `Basic`: a browser answers that
   * challenge to `fetch` with its own password dialog, and the page never hears the 401.
   */
  challenge?: string;
}

/** The challenge of a refused sign-in form (password or code): one no browser answers with a dialog. */
export const SIGN_IN_FORM_CHALLENGE = 'Form realm="throughline"';

/** RFC 6749 §5.2 error response (OAuth endpoints answer in OAuth's format, not FHIR's). */
export function oauthError(reply: FastifyReply, answer: OAuthErrorAnswer) {
  const { status, error, description, challenge = 'Basic realm="throughline"' } = answer;
  if (status === 401) reply.header('WWW-Authenticate', challenge);
  return reply
    .status(status)
    .header('Cache-Control', 'no-store')
    .send({ error, error_description: description });
}

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1: each part form-urlencoded) or the form. */
export function clientCredentials(request: FastifyRequest, form: Form): { id: string; secret?: string } {
  const header = request.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at < 0) return { id: '', secret: '' };
    try {
      return {
        id: decodeURIComponent(decoded.slice(0, at)),
        secret: decodeURIComponent(decoded.slice(at + 1)),
      };
    } catch {
      // Malformed percent-encoding is bad credentials (401), not a server error.
      return { id: '', secret: '' };
    }
  }
  return {
    id: form.client_id ?? '',
    ...(form.client_secret !== undefined ? { secret: form.client_secret } : {}),
  };
}

export const contextOf = (request: FastifyRequest) => ({ requestId: request.id, remoteAddress: request.ip });
