import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import { patientName } from '../../shared/fhir/format.ts';
import type { Bundle, Patient, Resource } from '../../shared/fhir/types.ts';
import { actorReferences, type Appointment } from './model.ts';

const resourcesOf = <T extends Resource>(bundle: Bundle<T>) =>
  (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));

export function useAppointments() {
  return useQuery({
    queryKey: ['portal', 'appointments'],
    queryFn: async () =>
      resourcesOf(await api<Bundle<Appointment>>('/fhir/Appointment?_count=200&_sort=-date')),
  });
}

/** Names of the people and places the appointments name: "Dr Tom Becker", "Riverside Clinic". */
export function useNames(appointments: Appointment[] | undefined) {
  const practitioners = actorReferences(appointments ?? [], 'Practitioner');
  const locations = actorReferences(appointments ?? [], 'Location');
  return useQuery({
    queryKey: ['portal', 'names', practitioners, locations],
    enabled: appointments !== undefined,
    queryFn: async () => {
      const names = new Map<string, string>();
      if (practitioners.length > 0)
        for (const p of resourcesOf(await api<Bundle>(`/fhir/Practitioner?_id=${practitioners.join(',')}`)))
          names.set(`Practitioner/${p.id}`, patientName(p as Patient));
      if (locations.length > 0)
        for (const l of resourcesOf(await api<Bundle>(`/fhir/Location?_id=${locations.join(',')}`)))
          names.set(`Location/${l.id}`, String(l['name'] ?? 'The clinic'));
      return names;
    },
  });
}

/** Free times of one service on one day (the clinic's time zone decides the hours). */
export function useFreeTimes(service: string, day: string) {
  return useQuery({
    queryKey: ['portal', 'free-times', service, day],
    queryFn: async () => {
      const start = new Date(`${day}T00:00:00`);
      const end = new Date(start.getTime() + 24 * 3600_000);
      const params = new URLSearchParams({
        start: start.toISOString(),
        end: end.toISOString(),
        'service-type': service,
      });
      return resourcesOf(await api<Bundle<Appointment>>(`/api/portal/free-times?${params.toString()}`));
    },
  });
}

export interface ChosenTime {
  schedule: string;
  start: string;
}

/** Book, confirm, move or cancel; every change refetches the list and the free times. */
export function useChange() {
  const client = useQueryClient();
  const settle = () => client.invalidateQueries({ queryKey: ['portal'] });
  return {
    book: useMutation({
      mutationFn: (time: ChosenTime) => post<Appointment>('/api/portal/appointments', time),
      onSuccess: settle,
    }),
    reschedule: useMutation({
      mutationFn: ({ id, time }: { id: string; time: ChosenTime }) =>
        post<Appointment>(`/api/portal/appointments/${id}/reschedule`, time),
      onSuccess: settle,
    }),
    confirm: useMutation({
      mutationFn: (id: string) => post<Appointment>(`/api/portal/appointments/${id}/confirm`, {}),
      onSuccess: settle,
    }),
    cancel: useMutation({
      mutationFn: (id: string) => post<Appointment>(`/api/portal/appointments/${id}/cancel`, {}),
      onSuccess: settle,
    }),
  };
}
