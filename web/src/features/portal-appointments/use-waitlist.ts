import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';

/** One of her entries (`GET /api/portal/waitlist`, src/server/portal-waitlist.ts). */
export interface WaitlistEntry {
  id: string;
  serviceType?: string;
  practitioner?: string;
  location?: string;
  start?: string;
  end?: string;
  created?: string;
  offer?: { start: string; end: string; expires: string };
}

interface Actor {
  reference: string;
  name: string;
}

/** A service the clinic books, with who gives it and where. */
export interface WaitlistService {
  code: string;
  display: string;
  practitioners: Actor[];
  locations: Actor[];
}

export interface WaitlistWish {
  serviceType: string;
  practitioner?: string;
  location?: string;
  start: string;
  end: string;
}

const KEY = ['portal', 'waitlist'];

export function useWaitlist() {
  return useQuery({
    queryKey: KEY,
    queryFn: () => api<{ entries: WaitlistEntry[]; services: WaitlistService[] }>('/api/portal/waitlist'),
  });
}

/** Join, leave, take an offer: each refetches the portal's lists (a taken offer becomes a booking). */
export function useWaitlistChange() {
  const client = useQueryClient();
  const settle = () => client.invalidateQueries({ queryKey: ['portal'] });
  return {
    join: useMutation({
      mutationFn: (wish: WaitlistWish) => post<{ entry: WaitlistEntry }>('/api/portal/waitlist', wish),
      onSuccess: settle,
    }),
    leave: useMutation({
      mutationFn: (id: string) => post<{ entry: WaitlistEntry }>(`/api/portal/waitlist/${id}/leave`, {}),
      onSuccess: settle,
    }),
    take: useMutation({
      mutationFn: (id: string) => post<{ entry: WaitlistEntry }>(`/api/portal/waitlist/${id}/take`, {}),
      onSuccess: settle,
    }),
  };
}

/** The name of a practitioner or place, from the services' lists. */
export function actorName(services: WaitlistService[], reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  for (const service of services)
    for (const actor of [...service.practitioners, ...service.locations])
      if (actor.reference === reference) return actor.name;
  return undefined;
}
