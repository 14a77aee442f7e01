import type { DiagnosticReport, Observation, ServiceRequest } from '@medplum/fhirtypes';
import { emit, plusMinutes, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import type { Visit } from './visits.ts';
import { labPanel, labs, type LabDefinition } from './vocabulary/clinical-codes.ts';
import { concept, systems } from './vocabulary/terminology.ts';

export interface LabResult {
  key: string;
  value: number;
  flag: 'H' | 'L' | 'N';
}

function flagOf(lab: LabDefinition, value: number): 'H' | 'L' | 'N' {
  if (lab.high !== undefined && value >= lab.high) return 'H';
  if (lab.low !== undefined && value < lab.low) return 'L';
  return 'N';
}

const interpretationDisplay = { H: 'High', L: 'Low', N: 'Normal' } as const;

/** One test's result from a drawn sample. */
interface LabMeasurement {
  /** Key into the lab vocabulary (`hba1c`, …). */
  key: string;
  value: number;
  /** When the sample was drawn. */
  at: string;
}

function labObservation(
  ctx: ClinicContext,
  journey: Journey,
  { key, value, at }: LabMeasurement,
): Stored<Observation> {
  const lab = labs[key] as LabDefinition;
  const flag = flagOf(lab, value);
  // The lab files results under its own patient record when it has one: linking it to the GP's
  // record is the MPI's job, exactly as in Maya's story.
  const subject = journey.other?.source === 'lab' ? journey.other.patient : journey.gp;
  return emit<Observation>(ctx, {
    resourceType: 'Observation',
    status: 'final',
    category: [concept(systems.observationCategory, 'laboratory', 'Laboratory')],
    code: concept(systems.loinc, lab.loinc, lab.display),
    subject: ref(subject),
    effectiveDateTime: at,
    issued: plusMinutes(at, 60 * 26),
    performer: [ref(ctx.directory.organizations.lab)],
    valueQuantity: { value, unit: lab.unit, system: systems.ucum, code: lab.unit },
    interpretation: [concept(systems.interpretation, flag, interpretationDisplay[flag])],
    referenceRange: [
      {
        low:
          lab.low === undefined
            ? undefined
            : { value: lab.low, unit: lab.unit, system: systems.ucum, code: lab.unit },
        high:
          lab.high === undefined
            ? undefined
            : { value: lab.high, unit: lab.unit, system: systems.ucum, code: lab.unit },
      },
    ],
  });
}

/** A value around the healthy or the affected mean, rounded as the analyser reports it. */
export function sampleValue(ctx: ClinicContext, key: string, affected: boolean): number {
  const lab = labs[key] as LabDefinition;
  const raw = ctx.random.around(affected ? lab.affected : lab.normal, lab.spread);
  const factor = 10 ** lab.decimals;
  return Math.max(Math.round(raw * factor) / factor, 1 / factor);
}

export interface LabOrder {
  visit: Visit;
  values: Record<string, number>;
  /** When the lab drew the sample (default: two days after the visit); results follow 26 h later. */
  drawn?: string;
}

/**
 * The GP orders bloodwork at a visit (ServiceRequest); the lab draws it (by default two days
 * later) and reports each test (Observation) under one panel (DiagnosticReport).
 */
export function recordLabPanel(ctx: ClinicContext, journey: Journey, labOrder: LabOrder): LabResult[] {
  const { visit, values } = labOrder;
  const order = emit<ServiceRequest>(ctx, {
    resourceType: 'ServiceRequest',
    status: 'completed',
    intent: 'order',
    category: [concept(systems.snomed, '108252007', 'Laboratory procedure')],
    code: concept(systems.loinc, labPanel.code, labPanel.display),
    subject: ref(journey.gp),
    encounter: ref(visit.encounter),
    authoredOn: visit.start,
    requester: ref(journey.doctor),
    performer: [ref(ctx.directory.organizations.lab)],
  });
  const drawn = labOrder.drawn ?? plusMinutes(visit.start, 60 * 24 * 2);
  const results = Object.entries(values).map(([key, value]) => ({
    key,
    value,
    observation: labObservation(ctx, journey, { key, value, at: drawn }),
  }));
  emit<DiagnosticReport>(ctx, {
    resourceType: 'DiagnosticReport',
    basedOn: [ref(order)],
    status: 'final',
    category: [concept('http://terminology.hl7.org/CodeSystem/v2-0074', 'LAB', 'Laboratory')],
    code: concept(systems.loinc, labPanel.code, labPanel.display),
    subject: ref(journey.other?.source === 'lab' ? journey.other.patient : journey.gp),
    effectiveDateTime: drawn,
    issued: plusMinutes(drawn, 60 * 26),
    performer: [ref(ctx.directory.organizations.lab)],
    result: results.map((result) => ref(result.observation)),
  });
  return results.map(({ key, value }) => ({ key, value, flag: flagOf(labs[key] as LabDefinition, value) }));
}
