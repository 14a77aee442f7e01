import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../../../shared/api/http.ts';
import type { Bundle, CodeableConcept, Resource } from '../../../../shared/fhir/types.ts';

/** A proposed Appointment from `$find` (src/scheduling/find/proposal.ts): all `$book` needs back. */
export interface Proposal extends Resource {
  start?: string;
  end?: string;
  minutesDuration?: number;
  serviceType?: CodeableConcept[];
  participant: { actor?: { reference?: string } }[];
}

/** A practitioner or place a visit type is booked with (`GET /api/scheduling/visit-types`). */
export interface BookingActor {
  reference: string;
  name: string;
}

/** One visit type: its service-type code, length, and who gives it where. */
export interface VisitType {
  code: string;
  display: string;
  minutes: number;
  practitioners: BookingActor[];
  locations: BookingActor[];
}

/** What the front desk narrows the free times by; empty means any. */
export interface BookingFilters {
  visitType: string;
  practitioner: string;
  location: string;
  /** The first day to look at, `YYYY-MM-DD` in the browser's time. */
  from: string;
}

/**
 * How many free times one look asks for: a week of one visit type with one practitioner, or the
 * first few days of everyone's (the server stops at 500; the days cut short are left out).
 */
export const FREE_TIMES_ASKED = 300;
export const DAYS_LOOKED_AT = 7;

/** The visit types the clinic's Schedules offer, with their practitioners and locations. */
export function useVisitTypes() {
  return useQuery({
    queryKey: ['visit-types'],
    staleTime: 5 * 60_000,
    queryFn: async () => (await api<{ visitTypes: VisitType[] }>('/api/scheduling/visit-types')).visitTypes,
  });
}

/** `$find`'s query for the patient and the filters: a week from the chosen day's midnight. */
function findQuery(patient: string, filters: BookingFilters): string {
  const start = new Date(`${filters.from}T00:00:00`);
  const end = new Date(start);
  end.setDate(end.getDate() + DAYS_LOOKED_AT);
  const params = new URLSearchParams({
    patient,
    start: start.toISOString(),
    end: end.toISOString(),
    _count: String(FREE_TIMES_ASKED),
  });
  if (filters.visitType) params.set('service-type', filters.visitType);
  if (filters.practitioner) params.set('practitioner', filters.practitioner);
  if (filters.location) params.set('location', filters.location);
  return params.toString();
}

/**
 * The free times for the patient (her own bookings left out) under the filters. The previous
 * answer stays on screen while a new filter loads, so the dialog does not jump at each choice.
 */
export function useFreeTimes(patient: string, filters: BookingFilters) {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(filters.from);
  return useQuery({
    queryKey: ['free-times', patient, filters],
    enabled: valid,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const bundle = await api<Bundle<Proposal>>(`/fhir/Appointment/$find?${findQuery(patient, filters)}`);
      return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
    },
  });
}

/** `$book` of a proposal; a 409 (someone took the time first) refreshes the free times. */
export function useBook(patient: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (appointment: Proposal) =>
      post<Resource>('/fhir/Appointment/$book', {
        resourceType: 'Parameters',
        parameter: [{ name: 'appointment', resource: appointment }],
      }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['free-times', patient] });
      void client.invalidateQueries({ queryKey: ['timeline'] });
      void client.invalidateQueries({ queryKey: ['patient-360'] });
      void client.invalidateQueries({ queryKey: ['today'] });
    },
  });
}
