/** The code systems and identifiers the journey engine writes (DESIGN rule 1: FHIR shapes only). */
const base = 'https://throughline.dev/fhir';

export const JOURNEY_SYSTEM = `${base}/CodeSystem/journey`;
export const stageSystem = (journeyId: string) => `${base}/CodeSystem/journey-stage/${journeyId}`;
/** Task.code / Flag.code: the rule that found the signal. */
export const SIGNAL_SYSTEM = `${base}/CodeSystem/journey-signal`;
/** Task.code's second coding: care-gap, follow-up or pain-point (closure rates are per kind). */
export const SIGNAL_KIND_SYSTEM = `${base}/CodeSystem/journey-signal-kind`;
/** Task.performerType: the worklist the Task is on (one system for every module's lists). */
export { WORKLIST_SYSTEM } from '../../fhir/worklist-system.ts';
/** Task.businessStatus: why a worklist Task left the list. */
export const TASK_OUTCOME_SYSTEM = `${base}/CodeSystem/worklist-outcome`;
/** Task.code of the one Task per referral that tracks its loop. */
export const REFERRAL_LOOP_SYSTEM = `${base}/CodeSystem/referral-loop`;
/** Task.businessStatus / Task.output type: the referral loop's steps (definitions/referral-loop.json). */
export const REFERRAL_STEP_SYSTEM = `${base}/CodeSystem/referral-step`;
export const REFERRAL_LOOP_IDENTIFIER = `${base}/journey/referral-loop`;
export const EPISODE_IDENTIFIER = `${base}/journey/episode`;
export const SIGNAL_IDENTIFIER = `${base}/journey/signal`;
/** EpisodeOfCare extension, repeated: one stage period (`stage` Coding, `period` Period) each. */
export const STAGE_EXTENSION = `${base}/StructureDefinition/journey-stage`;
/** EpisodeOfCare extension: the patient's preferred outreach channel (cohort filter). */
export const CHANNEL_EXTENSION = `${base}/StructureDefinition/preferred-channel`;

/** meta.security on work items derived from the clinical record (the role matrix's `CLINICAL`). */
export const CLINICAL_LABEL = {
  system: `${base}/CodeSystem/security-label`,
  code: 'CLINICAL',
  display: 'clinical detail',
};

export const OPEN_TASK_STATUSES = ['requested', 'received', 'accepted', 'ready', 'in-progress', 'on-hold'];
