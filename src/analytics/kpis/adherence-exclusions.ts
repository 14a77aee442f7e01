import type { Condition, Encounter, Resource } from '@medplum/fhirtypes';
import { patientOf } from './kpi-model.ts';

/**
 * PQA's exclusions from the proportion-of-days-covered measures: patients in hospice, and with
 * end-stage renal disease (ESRD), at any time in the measurement period. Defined here by codes
 * (the README lists them); PQA's own value sets are licensed and not repeated.
 */
const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const DISCHARGE = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';

/** ESRD as a Condition: SNOMED CT disorders and ICD-10-CM diagnoses. */
export const esrdCodes: Record<string, string[]> = {
  [SNOMED]: [
    '46177005', // End-stage renal disease
    '433146000', // Chronic kidney disease stage 5
    '714152005', // Chronic kidney disease stage 5 on dialysis
  ],
  [ICD10CM]: [
    'N18.6', // End stage renal disease
    'Z99.2', // Dependence on renal dialysis
  ],
};

/** Hospice as an Encounter's `type` or `serviceType` (SNOMED CT), or `hospitalization.dischargeDisposition` `hosp`. */
export const hospiceCodes: Record<string, string[]> = {
  [SNOMED]: [
    '385763009', // Hospice care
    '183919006', // Urgent admission to hospice
    '183920000', // Routine admission to hospice
    '183921001', // Admission to hospice for respite
  ],
  [DISCHARGE]: ['hosp'],
};

/** The kept fact of an exclusion: `at` its first day, `days` how many days it lasted (absent: open). */
export const adherenceExclusionKind = 'adherence-exclusion';

/** A span in which a patient is excluded: first day, and last day (absent: still going on). */
export interface AdherenceExclusion {
  patient: string;
  start: string;
  end?: string;
}

type Coded = { coding?: { system?: string; code?: string }[] } | undefined;

const inList = (list: Record<string, string[]>, concepts: Coded[]) =>
  concepts.some((concept) =>
    concept?.coding?.some((coding) => list[coding.system ?? '']?.includes(coding.code ?? '')),
  );

const dayOf = (value: string | undefined) => value?.slice(0, 10);

/** The exclusion a Condition (ESRD) or an Encounter (hospice) stands for; anything else none. */
export function adherenceExclusionOf(resource: Resource): AdherenceExclusion | undefined {
  if (resource.resourceType === 'Condition') return esrdOf(resource);
  if (resource.resourceType === 'Encounter') return hospiceOf(resource);
  return undefined;
}

/** ESRD from its onset (or recording) until it abated; refuted or entered in error: none. */
function esrdOf(condition: Condition): AdherenceExclusion | undefined {
  const patient = patientOf(condition.subject?.reference);
  const verification = condition.verificationStatus?.coding?.[0]?.code;
  if (!patient || verification === 'refuted' || verification === 'entered-in-error') return undefined;
  if (!inList(esrdCodes, [condition.code])) return undefined;
  const start = dayOf(condition.onsetDateTime ?? condition.onsetPeriod?.start ?? condition.recordedDate);
  const end = dayOf(condition.abatementDateTime ?? condition.abatementPeriod?.end);
  return start ? { patient, start, ...(end ? { end } : {}) } : undefined;
}

/** A hospice stay over its period; a discharge to hospice from the discharge on, open-ended. */
function hospiceOf(encounter: Encounter): AdherenceExclusion | undefined {
  const patient = patientOf(encounter.subject?.reference);
  if (!patient || encounter.status === 'entered-in-error' || encounter.status === 'cancelled')
    return undefined;
  const { period } = encounter;
  if (inList(hospiceCodes, [...(encounter.type ?? []), encounter.serviceType])) {
    const start = dayOf(period?.start ?? period?.end);
    const end = dayOf(period?.end);
    return start ? { patient, start, ...(end ? { end } : {}) } : undefined;
  }
  if (!inList(hospiceCodes, [encounter.hospitalization?.dischargeDisposition])) return undefined;
  const start = dayOf(period?.end ?? period?.start);
  return start ? { patient, start } : undefined;
}

/** Whether a patient is excluded from a measurement period: an exclusion overlaps it. */
export function excludedPatients(
  exclusions: AdherenceExclusion[],
  period: { start: string; end: string },
): Set<string> {
  const overlapping = exclusions.filter(
    (each) => each.start <= period.end && (each.end === undefined || each.end >= period.start),
  );
  return new Set(overlapping.map((each) => each.patient));
}
