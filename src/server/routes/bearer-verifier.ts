import { authSettingsOf, createBearerVerifier, type BearerVerifier } from '../../access/index.ts';
import type { ServerDeps } from '../server-deps.ts';

const verifiers = new WeakMap<ServerDeps, BearerVerifier>();

/**
 * One bearer verifier per app (per `deps`), shared by every route group, so the external
 * provider's JWKS is fetched and cached once rather than once per group.
 */
export function bearerVerifierOf(deps: ServerDeps): BearerVerifier {
  let verifier = verifiers.get(deps);
  if (!verifier) {
    verifier = createBearerVerifier(deps.db, deps.tokens, authSettingsOf(deps.config));
    verifiers.set(deps, verifier);
  }
  return verifier;
}
