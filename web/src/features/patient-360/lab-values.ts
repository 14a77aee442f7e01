import { conceptText } from '../../shared/fhir/format.ts';
import type { CodeableConcept, Quantity, Resource } from '../../shared/fhir/types.ts';
import type { ViewItem } from './view-types.ts';

export interface LabValue {
  reference: string;
  code?: string;
  test: string;
  value?: number;
  unit?: string;
  text?: string;
  flag?: string;
  low?: number;
  high?: number;
  date: string;
}

interface Observation extends Resource {
  code?: CodeableConcept;
  valueQuantity?: Quantity;
  valueString?: string;
  interpretation?: CodeableConcept[];
  referenceRange?: { low?: Quantity; high?: Quantity; text?: string }[];
}

/** Short names staff use for common tests (LOINC), instead of the long LOINC display. */
const SHORT_NAMES: Record<string, string> = {
  '4548-4': 'HbA1c',
  '2345-7': 'Glucose',
  '13457-7': 'LDL cholesterol',
  '18262-6': 'LDL cholesterol',
  '2093-3': 'Total cholesterol',
  '2085-9': 'HDL cholesterol',
  '2571-8': 'Triglycerides',
  '33914-3': 'eGFR',
  '62238-1': 'eGFR',
  '98979-8': 'eGFR',
  '2160-0': 'Creatinine',
  '718-7': 'Hemoglobin',
  '6690-2': 'White cells',
  '777-3': 'Platelets',
  '2951-2': 'Sodium',
  '2823-3': 'Potassium',
  '14959-1': 'Urine albumin/creatinine',
  '3016-3': 'TSH',
};

export function testName(code: string | undefined, fallback: string): string {
  return (code && SHORT_NAMES[code]) || fallback;
}

/** The lab results (Observations) of the labs section, newest first, with their reference range. */
export function labValues(items: ViewItem[] | undefined): LabValue[] {
  return (items ?? [])
    .filter((item) => item.resourceType === 'Observation')
    .map((item) => {
      const observation = item.resource as Observation;
      const range = observation.referenceRange?.[0];
      return {
        reference: item.reference,
        code: observation.code?.coding?.[0]?.code,
        test: testName(observation.code?.coding?.[0]?.code, conceptText(observation.code) ?? 'Result'),
        value: observation.valueQuantity?.value,
        unit: observation.valueQuantity?.unit,
        text: observation.valueString,
        flag: observation.interpretation?.[0]?.coding?.[0]?.code,
        low: range?.low?.value,
        high: range?.high?.value,
        date: item.date,
      };
    });
}

export function rangeText(value: Pick<LabValue, 'low' | 'high'>): string {
  if (value.low !== undefined && value.high !== undefined) return `${value.low}–${value.high}`;
  if (value.high !== undefined) return `< ${value.high}`;
  if (value.low !== undefined) return `> ${value.low}`;
  return '—';
}

export const isAbnormal = (flag: string | undefined) => !!flag && !['N', 'normal'].includes(flag);
