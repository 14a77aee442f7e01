// Public face of the journey module: the 360° view and timeline, the journey engine (stages,
// care gaps, pain points), worklists and cohort views.
export { buildPatient360, type Patient360, type ViewItem, type LabTrend } from './view/build-patient-360.ts';
export { buildTimeline, type TimelineQuery, type TimelineEvent } from './view/build-timeline.ts';
export { loadPersonRecord } from './view/load-person-record.ts';
export { needsAttention, type AttentionItem } from './view/needs-attention.ts';
export { resourceDate, categoryOf } from './view/resource-dates.ts';
export {
  loadDefaultCatalog,
  checkCatalog,
  type JourneyCatalog,
  type JourneyDefinition,
  type StageDefinition,
  type SignalRule,
} from './definitions/definitions.ts';
export { planJourney, type JourneyPlan } from './engine/plan-journey.ts';
export type { Person, JourneyDeps } from './service/journey-deps.ts';
export { recomputePerson } from './service/recompute-person.ts';
export { recomputeAll, type RecomputeSummary } from './service/recompute-all.ts';
export { recomputeOnChange } from './service/recompute-on-change.ts';
export { journeyWorklists, openTasksOn, type WorklistDefinition } from './worklists/worklist-definitions.ts';
export {
  listWorklist,
  type ItemMessage,
  type Worklist,
  type WorklistItem,
  type WorklistPage,
} from './worklists/list-worklist.ts';
export { withFocusMessages } from './worklists/focus-messages.ts';
export {
  actOnTask,
  WORKLIST_ACTIONS,
  type TaskCommand,
  type WorklistAction,
} from './worklists/worklist-actions.ts';
export {
  journeyCohort,
  type CohortQuery,
  type CohortReport,
  type CohortRequest,
} from './cohort/journey-cohort.ts';
export { OPEN_TASK_STATUSES } from './engine/journey-codes.ts';
export { openWorkFor, type OpenWork } from './worklists/open-work.ts';
export { createFollowUp, type FollowUpRequest } from './worklists/follow-ups.ts';
export { referralLoopReport, type ReferralLoopReport } from './referrals/referral-loop-report.ts';
export { journeyCohortPatients, type JourneyCohortQuery } from './cohort/cohort-patients.ts';
