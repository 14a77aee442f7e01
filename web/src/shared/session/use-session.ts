import { useSyncExternalStore } from 'react';
import { currentSession, subscribe, type Session } from './session-store.ts';

export function useSession(): Session | undefined {
  return useSyncExternalStore(subscribe, currentSession);
}

/** Roles that see clinical detail; the server enforces it, the UI only arranges the page. */
export function hasRole(session: Session | undefined, ...roles: string[]): boolean {
  return !!session?.user.roles.some((role) => roles.includes(role));
}
