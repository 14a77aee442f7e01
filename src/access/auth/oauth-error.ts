/**
 * An OAuth 2.0 error (RFC 6749 §4.1.2.1 and §5.2). OAuth endpoints answer in OAuth's format,
 * not FHIR's, so these are kept apart from `ThroughlineError` and shaped by the auth routes.
 */
export class OAuthError extends Error {
  readonly error: string;
  readonly status: number;

  constructor(error: string, description: string, status = 400) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.status = status;
  }
}

export const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);
