import type { CodeableConcept } from '@medplum/fhirtypes';
import serviceTypes from './service-types.json' with { type: 'json' };

/** How long an appointment of a service lasts, the buffer after it, and how far ahead it must be booked. */
export interface ServiceRules {
  code?: string;
  display?: string;
  minutes: number;
  bufferMinutes: number;
  minimumNoticeMinutes: number;
}

export const SERVICE_TYPE_SYSTEM = serviceTypes.system;

const table = serviceTypes.types as Record<string, Omit<ServiceRules, 'code'>>;

/** The rules of the first coding of the service-type system found (else the default row). */
export function serviceRulesOf(concepts: CodeableConcept[] | undefined): ServiceRules {
  for (const concept of concepts ?? [])
    for (const coding of concept.coding ?? [])
      if (coding.system === SERVICE_TYPE_SYSTEM && coding.code && table[coding.code])
        return { code: coding.code, ...table[coding.code]! };
  return { ...serviceTypes.default };
}

/** Whether a concept list names this service-type code (a `service-type` search parameter value). */
export function namesService(concepts: CodeableConcept[] | undefined, code: string): boolean {
  const [system, value] = code.includes('|') ? code.split('|') : [undefined, code];
  return (concepts ?? []).some((concept) =>
    (concept.coding ?? []).some(
      (coding) => coding.code === value && (system === undefined || coding.system === system),
    ),
  );
}
