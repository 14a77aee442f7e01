import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';
import type { Bundle, HumanName, Resource } from '../../shared/fhir/types.ts';

interface Named extends Resource {
  name?: string | HumanName[];
}

/** A Location's name, a Practitioner's "given family" (FHIR R4: a string for one, HumanName[] for the other). */
function nameOf(resource: Named): string {
  if (typeof resource.name === 'string') return resource.name;
  const name = resource.name?.[0];
  const words = name ? (name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ')) : '';
  return words || resource.id!;
}

/** The clinic's locations or practitioners (the directory, which the practice manager may read), by name. */
export function useDirectoryChoices(resourceType: 'Location' | 'Practitioner') {
  return useQuery({
    queryKey: ['kpi-directory', resourceType],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const bundle = await api<Bundle<Named>>(`/fhir/${resourceType}?_count=100`);
      return (bundle.entry ?? [])
        .flatMap((entry) =>
          entry.resource?.id ? [{ value: entry.resource.id, label: nameOf(entry.resource) }] : [],
        )
        .sort((a, b) => a.label.localeCompare(b.label));
    },
  });
}

/** The outreach channels the API filters by (src/analytics/kpis/kpi-filters.ts). */
export const channelChoices = [
  { value: 'sms', label: 'SMS' },
  { value: 'email', label: 'Email' },
  { value: 'whatsapp', label: 'WhatsApp' },
  { value: 'voice', label: 'Voice call' },
  { value: 'other', label: 'Other' },
];

/** The patients behind one figure: `GET` its bucket's drill-down link, numerator or denominator. */
export interface KpiPatients {
  total: number;
  patients: { id: string; name?: string; birthDate?: string }[];
}

export function useKpiPatients(link: string | undefined, set: 'numerator' | 'denominator') {
  return useQuery({
    queryKey: ['kpi-patients', link, set],
    enabled: link !== undefined,
    staleTime: 60_000,
    queryFn: () => api<KpiPatients>(`${link}&set=${set}`),
  });
}
