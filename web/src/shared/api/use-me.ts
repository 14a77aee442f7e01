import { useQuery } from '@tanstack/react-query';
import { api } from './http.ts';

/** `GET /api/me`: the caller's roles, platform operations and interactions per resource type. */
export interface Me {
  id: string;
  display: string;
  roles: string[];
  /** The roles as the clinic names them ("Front desk"), in the order of `roles`. */
  roleDisplays: string[];
  operations: string[];
  /** Letters of c r u d s per type (e.g. `Appointment: "cruds"`); empty when the role has none. */
  resources: Record<string, string>;
}

/**
 * What the signed-in user may do, so a page offers only the actions the server would allow
 * (the server still decides every call). Asked once per session.
 */
export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => api<Me>('/api/me'), staleTime: Infinity });
}

export function mayOperate(me: Me | undefined, operation: string): boolean {
  return me?.operations.includes(operation) ?? false;
}

export function mayInteract(me: Me | undefined, resourceType: string, interaction: string): boolean {
  return me?.resources[resourceType]?.includes(interaction) ?? false;
}
