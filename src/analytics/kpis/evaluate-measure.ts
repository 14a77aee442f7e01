import type { MeasureReport } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { Figure } from './aggregate-kpis.ts';
import type { KpiDefinition } from './kpi-model.ts';

const POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';

export interface MeasurePeriod {
  periodStart: string;
  periodEnd: string;
}

/** `periodStart` / `periodEnd` of `$evaluate-measure` (dates, both required; 400 naming the one that is wrong). */
export function parseMeasurePeriod(query: Record<string, string | undefined>): MeasurePeriod {
  const date = (name: 'periodStart' | 'periodEnd') => {
    const value = query[name];
    if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
      throw new ThroughlineError('INVALID_REQUEST', `${name} must be a date (YYYY-MM-DD)`, {
        expression: name,
      });
    return value;
  };
  const period = { periodStart: date('periodStart'), periodEnd: date('periodEnd') };
  if (period.periodStart > period.periodEnd)
    throw new ThroughlineError('INVALID_REQUEST', 'periodStart must not be after periodEnd', {
      expression: 'periodStart',
    });
  return period;
}

/**
 * A KPI as a FHIR R4 summary `MeasureReport` (the Measure is the KPI, by its id): numerator and
 * denominator populations of the facts dated within the period (end day included), the score.
 */
export function evaluateMeasure(input: {
  definition: KpiDefinition;
  figure: Figure;
  period: MeasurePeriod;
  fhirBase: string;
  now: Date;
}): MeasureReport {
  const { definition, figure } = input;
  const population = (code: string, count: number) => ({
    code: { coding: [{ system: POPULATION, code }] },
    count,
  });
  return {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'summary',
    measure: `${input.fhirBase}/Measure/${definition.id}`,
    date: input.now.toISOString(),
    period: { start: input.period.periodStart, end: input.period.periodEnd },
    group: [
      {
        code: { text: definition.title },
        population: [
          population(definition.kind === 'rate' ? 'numerator' : 'initial-population', figure.numerator),
          ...(figure.denominator === null ? [] : [population('denominator', figure.denominator)]),
        ],
        ...(figure.value === null
          ? {}
          : {
              measureScore:
                definition.kind === 'median' ? { value: figure.value, unit: 'd' } : { value: figure.value },
            }),
      },
    ],
  };
}
