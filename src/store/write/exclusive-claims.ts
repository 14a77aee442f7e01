import type { Resource } from '@medplum/fhirtypes';
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

/**
 * Advisory-lock keys for the exclusive identifiers these resources claim. The constraint is
 * checked at the end of each write statement, after all of its rows are in: two writers whose
 * claims overlap in two or more values would each wait for the other's row and deadlock
 * (20 concurrent bookings of one time did, in a third of the rounds). Locked first, in one
 * sorted order with the rows' own keys, the second writer waits for the first to finish and
 * then meets its claim as a plain CONFLICT.
 */
type Claim = { system?: string; value?: string };

export function claimLockKeys(resources: (Resource | undefined)[]): string[] {
  const keys: string[] = [];
  for (const resource of resources) {
    // `identifier` is a list on most types but one Identifier on some (QuestionnaireResponse,
    // Bundle): both are read.
    const identifiers = [(resource as { identifier?: Claim | Claim[] } | undefined)?.identifier ?? []].flat();
    for (const identifier of identifiers)
      if (identifier?.system === EXCLUSIVE_IDENTIFIER_SYSTEM && identifier.value)
        keys.push(`claim:${resource!.resourceType}|${identifier.value}`);
  }
  return keys;
}
