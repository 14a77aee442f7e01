import type { Condition, Observation, Resource } from '@medplum/fhirtypes';

export interface SocialNeed {
  need: 'transport' | 'housing' | 'food' | 'employment' | 'social-support';
  /** What it means for reaching and booking the person. */
  outreach: string;
  reference: string;
}

const OUTREACH: Record<SocialNeed['need'], string> = {
  transport: 'Offer telehealth or transport support; avoid early-morning slots',
  housing: 'Post may not arrive: confirm by phone or SMS, keep a second contact',
  food: 'Refer to food support; take it into account in diet advice',
  employment: 'Offer evening or weekend slots; check coverage before booking',
  'social-support': 'Call rather than message; involve a carer if the patient agrees',
};

/** Screening answers (LOINC question → answers that mean a need). */
const SCREENING: Record<string, { need: SocialNeed['need']; answers: string[] }> = {
  '93030-5': { need: 'transport', answers: ['LA33-6'] },
  '71802-3': { need: 'housing', answers: ['LA31994-9'] },
  '88122-7': { need: 'food', answers: ['LA28397-0', 'LA28398-8'] },
};

/** SNOMED findings (Synthea and most EHRs record social needs as conditions). */
const FINDINGS: Record<string, SocialNeed['need']> = {
  '160903007': 'transport',
  '105531004': 'housing',
  '32911000': 'housing',
  '5251000175109': 'housing',
  '733423003': 'food',
  '73438004': 'employment',
  '741062008': 'employment',
  '423315002': 'social-support',
  '422650009': 'social-support',
};

/** Social needs found in the record (screening answers, active findings), with what they imply for outreach. */
export function socialNeeds(resources: Resource[]): SocialNeed[] {
  const needs = new Map<SocialNeed['need'], string>();
  for (const resource of resources) {
    const need = resource.resourceType === 'Observation' ? fromScreening(resource) : fromFinding(resource);
    if (need && !needs.has(need)) needs.set(need, `${resource.resourceType}/${resource.id}`);
  }
  return [...needs].map(([need, reference]) => ({ need, outreach: OUTREACH[need], reference }));
}

function fromScreening(observation: Observation): SocialNeed['need'] | undefined {
  for (const code of observation.code?.coding?.map((coding) => coding.code) ?? []) {
    const question = code ? SCREENING[code] : undefined;
    const answer = observation.valueCodeableConcept?.coding?.map((coding) => coding.code) ?? [];
    if (question && answer.some((value) => value && question.answers.includes(value))) return question.need;
  }
  return undefined;
}

function fromFinding(resource: Resource): SocialNeed['need'] | undefined {
  if (resource.resourceType !== 'Condition') return undefined;
  const condition = resource as Condition;
  const status = condition.clinicalStatus?.coding?.[0]?.code;
  if (status && status !== 'active') return undefined;
  return condition.code?.coding?.map((coding) => FINDINGS[coding.code ?? '']).find(Boolean);
}
