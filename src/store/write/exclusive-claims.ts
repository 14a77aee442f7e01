import { ThroughlineError } from '../../kernel/errors.ts';

/** Identifiers of this system are unique among live resources of a type (migration 020: an exclusion constraint). */
export const EXCLUSIVE_IDENTIFIER_SYSTEM = 'https://throughline.dev/fhir/exclusive-claim';

/**
 * Runs a write statement, turning a violation of the exclusive-identifier index into a coded
 * CONFLICT: another transaction holds the claim (both `pg` and PGlite report SQLSTATE 23P01
 * and name the constraint in the message).
 */
export async function refusingTakenClaims<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: string; message?: string };
    if ((code === '23P01' || code === '23505') && message?.includes('search_token_exclusive'))
      throw new ThroughlineError('CONFLICT', 'An exclusive identifier is held by another resource (taken)', {
        cause: error,
      });
    throw error;
  }
}
