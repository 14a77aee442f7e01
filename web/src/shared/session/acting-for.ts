import { useSyncExternalStore } from 'react';
import { currentSession, subscribe as subscribeSession } from './session-store.ts';

/**
 * Whom a caregiver acts for in the portal (issue 20): a dependant whose grant the server holds.
 * Every call then carries `X-Acting-For`, and the server checks the grant on each one — this
 * only chooses, it opens nothing. Kept in sessionStorage (an id and a name, no secret) so a
 * reload stays with the same person; signing out forgets it.
 */
export interface ActingFor {
  patient: string;
  name: string;
  /** What the person is to her ("your child"). */
  relation: string;
  /** The grant she acts by (`RelatedPerson/{id}`): what she writes as, e.g. a message's sender. */
  grant: string;
  /** What her grants let her do (`record`, `appointments`, `messages`, `forms`): what pages offer. */
  scope?: string[];
}

const KEY = 'throughline.acting-for';
type Listener = () => void;
const listeners = new Set<Listener>();

function stored(): ActingFor | undefined {
  try {
    const value = sessionStorage.getItem(KEY);
    return value ? (JSON.parse(value) as ActingFor) : undefined;
  } catch {
    return undefined;
  }
}

let acting: ActingFor | undefined = stored();

export function actingFor(): ActingFor | undefined {
  return acting;
}

/** Acts for this person from the next call on (undefined: for herself again). */
export function setActingFor(person: ActingFor | undefined): void {
  acting = person;
  if (person) sessionStorage.setItem(KEY, JSON.stringify(person));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

subscribeSession((session) => {
  if (!session && acting) setActingFor(undefined);
});

export function useActingFor(): ActingFor | undefined {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, actingFor);
}

/** The record the portal shows: the person she acts for, else her own. */
export function currentPatient(): string | undefined {
  return acting?.patient ?? currentSession()?.user.patient;
}

/** The header every call carries while she acts for someone. */
export const ACTING_FOR_HEADER = 'x-acting-for';
