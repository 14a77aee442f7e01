import { useQuery } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import type { Bundle, Patient } from '../../shared/fhir/types.ts';
import { searchPlan } from './search-plan.ts';

export interface PatientHit {
  patient: Patient;
  /** Found by identity's fuzzy match rather than by the exact search (a typo, a format). */
  fuzzy: boolean;
  /** Match probability, for fuzzy hits. */
  score?: number;
}

const patientsOf = (bundle: Bundle<Patient>) =>
  (bundle.entry ?? []).flatMap((entry) =>
    entry.resource ? [{ resource: entry.resource, score: entry.search?.score }] : [],
  );

async function runSearch(input: string): Promise<PatientHit[]> {
  const plan = searchPlan(input);
  if (!plan) return [];
  const exact = plan.searches.map((query) => api<Bundle<Patient>>(`/fhir/Patient?${query}&_count=20`));
  const fuzzy = plan.match
    ? post<Bundle<Patient>>('/fhir/Patient/$match', {
        resourceType: 'Parameters',
        parameter: [
          { name: 'resource', resource: plan.match },
          { name: 'count', valueInteger: 10 },
        ],
      })
    : Promise.resolve<Bundle<Patient>>({ resourceType: 'Bundle' });
  const [fuzzyBundle, ...exactBundles] = await Promise.all([fuzzy, ...exact]);
  const hits = new Map<string, PatientHit>();
  for (const bundle of exactBundles)
    for (const { resource } of patientsOf(bundle))
      hits.set(resource.id!, { patient: resource, fuzzy: false });
  for (const { resource, score } of patientsOf(fuzzyBundle))
    if (!hits.has(resource.id!)) hits.set(resource.id!, { patient: resource, fuzzy: true, score });
  return [...hits.values()].filter((hit) => hit.patient.active !== false);
}

export function usePatientSearch(input: string) {
  return useQuery({
    queryKey: ['patient-search', input.trim().toLowerCase()],
    queryFn: () => runSearch(input),
    enabled: input.trim().length >= 2,
    placeholderData: (previous) => previous,
  });
}

interface ReviewItem {
  taskId: string;
  recordIds: string[];
}

/** Records with a pending duplicate review, to flag in the results. */
export function useRecordsUnderReview() {
  return useQuery({
    queryKey: ['identity-review'],
    queryFn: async () => {
      const { items } = await api<{ items: ReviewItem[] }>('/api/identity/review');
      const byRecord = new Map<string, string>();
      for (const item of items) for (const id of item.recordIds) byRecord.set(id, item.taskId);
      return byRecord;
    },
    retry: false,
  });
}
