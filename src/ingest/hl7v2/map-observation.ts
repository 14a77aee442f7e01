import type { CodeableConcept, Observation, ObservationReferenceRange, Quantity } from '@medplum/fhirtypes';
import {
  componentsOf,
  hl7ToFhirDateTime,
  repetitions,
  valueAt,
  type Delimiters,
  type Segment,
} from '../../hl7v2/index.ts';
import { clean } from './clean-resource.ts';
import { codingSystemUri, toCodeableConcept } from './v2-datatypes.ts';

const statuses: Record<string, Observation['status']> = {
  F: 'final',
  P: 'preliminary',
  C: 'amended',
  X: 'cancelled',
  D: 'entered-in-error',
  R: 'registered',
  I: 'registered',
  S: 'preliminary',
  W: 'entered-in-error',
};
const interpretations: Record<string, string> = {
  H: 'H',
  L: 'L',
  HH: 'HH',
  LL: 'LL',
  A: 'A',
  AA: 'AA',
  N: 'N',
  '<': 'L',
  '>': 'H',
  U: 'U',
  D: 'D',
  B: 'B',
  W: 'W',
  S: 'S',
  R: 'R',
  I: 'I',
};

/** An OBX segment and the NTE notes that follow it. */
export interface ObxWithNotes {
  obx: Segment;
  notes: string[];
}

/** OBX (+ its NTE notes) → Observation: value by OBX-2 type, units, reference range, flags. */
export function mapObservation(
  { obx, notes }: ObxWithNotes,
  d: Delimiters,
  fallbackDate: string | undefined,
): Observation {
  const at = { segment: 'OBX', field: 14 };
  const when = valueAt(obx, d, 14) ?? fallbackDate;
  const flag = valueAt(obx, d, 8);
  const observation: Observation = {
    resourceType: 'Observation',
    status: statuses[valueAt(obx, d, 11) ?? 'F'] ?? 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
        ],
      },
    ],
    code: toCodeableConcept(obx.fields[3], d) ?? { text: 'unknown' },
    effectiveDateTime: when ? hl7ToFhirDateTime(when, at) : undefined,
    ...observationValue(obx, d),
    referenceRange: referenceRange(valueAt(obx, d, 7), valueAt(obx, d, 6)),
    interpretation:
      flag && interpretations[flag]
        ? [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
                  code: interpretations[flag],
                },
              ],
            },
          ]
        : undefined,
    note: notes.length > 0 ? notes.map((text) => ({ text })) : undefined,
  };
  return clean(observation);
}

function units(obx: Segment, d: Delimiters): Partial<Quantity> {
  const [code, text, system] = componentsOf(obx.fields[6] ?? '', d);
  if (!code && !text) return {};
  return {
    unit: text ?? code,
    ...(code ? { code, system: system ? codingSystemUri(system) : 'http://unitsofmeasure.org' } : {}),
  };
}

function observationValue(obx: Segment, d: Delimiters): Partial<Observation> {
  const type = (valueAt(obx, d, 2) ?? 'ST').toUpperCase();
  const values = repetitions(obx, 5, d);
  if (values.length === 0)
    return {
      dataAbsentReason: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }],
      },
    };
  const first = values[0] ?? '';
  switch (type) {
    case 'NM': {
      const number = Number(valueAt(obx, d, 5));
      return Number.isFinite(number)
        ? { valueQuantity: { value: number, ...units(obx, d) } }
        : { valueString: valueAt(obx, d, 5) };
    }
    case 'SN':
      return structuredNumeric(first, obx, d);
    case 'CE':
    case 'CWE':
    case 'CNE':
      return { valueCodeableConcept: toCodeableConcept(first, d) as CodeableConcept };
    case 'DT':
    case 'TS':
    case 'DTM':
      return { valueDateTime: hl7ToFhirDateTime(valueAt(obx, d, 5) ?? '', { segment: 'OBX', field: 5 }) };
    case 'ED':
    case 'RP':
      return { valueString: `[${type} content: see the source message]` };
    default:
      return {
        valueString: values
          .map(
            (_, i) => valueAt(obx, d, { field: 5, component: 1, subcomponent: 1, repetition: i + 1 }) ?? '',
          )
          .join('\n'),
      };
  }
}

/** SN: comparator^num1^separator^num2 — `<^5`, `^10^-^20` (range), `^1^:^128` (ratio). */
function structuredNumeric(raw: string, obx: Segment, d: Delimiters): Partial<Observation> {
  const [comparator, first, separator, second] = componentsOf(raw, d);
  const unit = units(obx, d);
  if (separator === '-' && first && second)
    return {
      valueRange: { low: { value: Number(first), ...unit }, high: { value: Number(second), ...unit } },
    };
  if ((separator === ':' || separator === '/') && first && second)
    return { valueRatio: { numerator: { value: Number(first) }, denominator: { value: Number(second) } } };
  const comparators: Record<string, Quantity['comparator']> = { '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
  return {
    valueQuantity: {
      value: Number(first),
      ...(comparator && comparators[comparator] ? { comparator: comparators[comparator] } : {}),
      ...unit,
    },
  };
}

/** OBX-7: `3.5-5.0`, `<5`, `>10`, or free text. */
function referenceRange(
  text: string | undefined,
  _units: string | undefined,
): ObservationReferenceRange[] | undefined {
  if (!text) return undefined;
  const between = /^\s*(-?[\d.]+)\s*-\s*(-?[\d.]+)\s*$/.exec(text);
  if (between) return [{ low: { value: Number(between[1]) }, high: { value: Number(between[2]) } }];
  const below = /^\s*<=?\s*(-?[\d.]+)\s*$/.exec(text);
  if (below) return [{ high: { value: Number(below[1]) } }];
  const above = /^\s*>=?\s*(-?[\d.]+)\s*$/.exec(text);
  if (above) return [{ low: { value: Number(above[1]) } }];
  return [{ text }];
}
