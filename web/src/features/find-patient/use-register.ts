import { useMutation, useQuery } from '@tanstack/react-query';
import { post } from '../../shared/api/http.ts';
import type { Bundle, Patient } from '../../shared/fhir/types.ts';

export interface NewPatient {
  given: string;
  family: string;
  birthDate: string;
  phone: string;
  email: string;
}

export function patientOf(form: NewPatient): Patient {
  const telecom = [
    ...(form.phone.trim() ? [{ system: 'phone', value: form.phone.trim(), use: 'mobile', rank: 1 }] : []),
    ...(form.email.trim() ? [{ system: 'email', value: form.email.trim(), rank: 2 }] : []),
  ];
  // FHIR JSON has no empty arrays or strings: leave out what was not typed.
  return {
    resourceType: 'Patient',
    active: true,
    name: [{ use: 'official', given: [form.given.trim()], family: form.family.trim() }],
    ...(form.birthDate ? { birthDate: form.birthDate } : {}),
    ...(telecom.length > 0 ? { telecom } : {}),
  };
}

/**
 * "This person may already exist": identity's `$match` on what has been typed so far, before
 * the record is created (a duplicate avoided at the desk is one nobody has to merge later).
 */
export function useExistingMatches(form: NewPatient) {
  const ready = form.family.trim().length >= 2 && (form.given.trim().length >= 2 || !!form.birthDate);
  return useQuery({
    queryKey: ['register-match', form],
    enabled: ready,
    queryFn: async () => {
      const bundle = await post<Bundle<Patient>>('/fhir/Patient/$match', {
        resourceType: 'Parameters',
        parameter: [
          { name: 'resource', resource: patientOf(form) },
          { name: 'count', valueInteger: 5 },
        ],
      });
      return (bundle.entry ?? []).flatMap((entry) =>
        entry.resource && (entry.search?.score ?? 0) >= 0.05
          ? [{ patient: entry.resource, score: entry.search?.score ?? 0 }]
          : [],
      );
    },
    placeholderData: (previous) => previous,
  });
}

export function useRegister() {
  return useMutation({
    mutationFn: (form: NewPatient) =>
      post<Patient>('/fhir/Patient', patientOf(form), 'application/fhir+json'),
  });
}
