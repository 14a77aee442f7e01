import { conceptText } from '../../shared/fhir/format.ts';
import { plainUnit } from '../../shared/fhir/units.ts';
import type { CodeableConcept, Quantity, Resource } from '../../shared/fhir/types.ts';
import { explanationOf, shortNameOf } from './explanations.ts';

export interface Observation extends Resource {
  status?: string;
  code?: CodeableConcept;
  category?: CodeableConcept[];
  effectiveDateTime?: string;
  issued?: string;
  valueQuantity?: Quantity;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
  interpretation?: CodeableConcept[];
  referenceRange?: { low?: Quantity; high?: Quantity; text?: string }[];
  component?: { code?: CodeableConcept; valueQuantity?: Quantity }[];
}

export interface ResultPoint {
  /** The Observation this value is (`Observation/{id}`): what "Correct this" names. */
  reference: string;
  date: string;
  value?: number;
  text: string;
  flag?: 'H' | 'L' | 'A' | 'N';
}

/** One test and its history, newest first: the latest value leads, the rest is the trend. */
export interface TestSeries {
  code: string;
  name: string;
  unit?: string;
  range?: string;
  explanation?: string;
  points: ResultPoint[];
}

/** Withdrawn or not yet reported results are not results. */
const SHOWN = new Set(['final', 'amended', 'corrected', 'preliminary']);

function flagOf(observation: Observation): ResultPoint['flag'] {
  const code = observation.interpretation?.[0]?.coding?.[0]?.code ?? '';
  if (['H', 'HH', 'HU'].includes(code)) return 'H';
  if (['L', 'LL', 'LU'].includes(code)) return 'L';
  if (['A', 'AA'].includes(code)) return 'A';
  return code === 'N' ? 'N' : undefined;
}

function valueText(observation: Observation): string {
  const quantity = observation.valueQuantity;
  if (quantity?.value !== undefined) return `${quantity.value} ${plainUnit(quantity.unit)}`.trim();
  const parts = (observation.component ?? [])
    .map((c) => c.valueQuantity?.value)
    .filter((v) => v !== undefined);
  if (parts.length > 0)
    return `${parts.join('/')} ${plainUnit(observation.component?.[0]?.valueQuantity?.unit)}`.trim();
  return observation.valueString ?? conceptText(observation.valueCodeableConcept) ?? '—';
}

/** "0.4–4 mIU/L", "below 5.7 %", or the range's own text. */
export function rangeOf(observation: Observation): string | undefined {
  const range = observation.referenceRange?.[0];
  if (!range) return undefined;
  const unit = plainUnit(range.low?.unit ?? range.high?.unit);
  const low = range.low?.value;
  const high = range.high?.value;
  if (low !== undefined && high !== undefined) return `${low}–${high} ${unit}`.trim();
  if (high !== undefined) return `below ${high} ${unit}`.trim();
  if (low !== undefined) return `above ${low} ${unit}`.trim();
  return range.text;
}

const dateOf = (o: Observation) => o.effectiveDateTime ?? o.issued ?? '';

/** The observations as one series per test, the tests with something to look at first. */
export function seriesOf(observations: Observation[]): TestSeries[] {
  const byCode = new Map<string, Observation[]>();
  for (const observation of observations) {
    if (!SHOWN.has(observation.status ?? 'final')) continue;
    const code = observation.code?.coding?.[0]?.code ?? conceptText(observation.code) ?? '?';
    byCode.set(code, [...(byCode.get(code) ?? []), observation]);
  }
  return [...byCode.entries()]
    .map(([code, list]) => {
      const sorted = list.sort((a, b) => dateOf(b).localeCompare(dateOf(a)));
      const latest = sorted[0]!;
      return {
        code,
        name: shortNameOf(code) ?? conceptText(latest.code) ?? 'Result',
        unit: plainUnit(latest.valueQuantity?.unit),
        range: rangeOf(latest),
        explanation: explanationOf(code),
        points: sorted.map((o) => ({
          reference: `Observation/${o.id ?? ''}`,
          date: dateOf(o),
          value: o.valueQuantity?.value,
          text: valueText(o),
          flag: flagOf(o),
        })),
      };
    })
    .sort((a, b) => (b.points[0]?.date ?? '').localeCompare(a.points[0]?.date ?? ''));
}
