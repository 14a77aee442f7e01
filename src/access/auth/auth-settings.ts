import type { Config } from '../../kernel/config.ts';

/** An external OpenID Connect provider whose access tokens stand in for local sign-in. */
export interface OidcSettings {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** Where the roles are in its tokens; dots walk nested objects (`realm_access.roles`). */
  rolesClaim: string;
}

/** Session and grant lifetimes, and the optional external provider. */
export interface AuthSettings {
  sessionIdleSeconds: number;
  sessionMaxSeconds: number;
  /** Idle and absolute limit of an offline_access grant. */
  offlineGrantSeconds: number;
  /** Authorization codes are exchanged at once by the app; a minute is plenty (RFC 6749 §4.1.2 says ≤ 10). */
  codeTtlSeconds: number;
  /** Shown in authenticator apps next to the account. */
  totpIssuer: string;
  oidc?: OidcSettings;
}

export function authSettingsOf(config: Config): AuthSettings {
  const { oidcIssuer, oidcJwksUrl, oidcAudience } = config;
  return {
    sessionIdleSeconds: config.sessionIdleMinutes * 60,
    sessionMaxSeconds: config.sessionMaxHours * 3600,
    offlineGrantSeconds: config.refreshTokenTtlDays * 86400,
    codeTtlSeconds: 60,
    totpIssuer: 'Throughline',
    ...(oidcIssuer && oidcJwksUrl && oidcAudience
      ? {
          oidc: {
            issuer: oidcIssuer,
            jwksUrl: oidcJwksUrl,
            audience: oidcAudience,
            rolesClaim: config.oidcRolesClaim,
          },
        }
      : {}),
  };
}
