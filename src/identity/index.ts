// Public face of the identity module (the master patient index).
export { mergePatients, type MergeRequest, type MergeResult } from './merge/merge-patients.ts';
export { unmergePatients, type UnmergeRequest, type UnmergeResult } from './merge/unmerge-patients.ts';
export { linkRecords, buildGolden, type LinkResult } from './golden/link-records.ts';
export { unlinkRecord } from './golden/unlink-record.ts';
export { GOLDEN_TAG, isGolden, goldenIdOf, memberIdsOf } from './golden/golden-record.ts';
export { defaultSurvivorship, surviveFields, type SurvivorshipConfig } from './golden/survivorship.ts';
export {
  proposeReview,
  listReviewQueue,
  decideReview,
  wasRejected,
  type DecisionInput,
  type ReviewDecision,
} from './review/review-queue.ts';
export { listReviewsFor } from './review/reviews-for-records.ts';
export type { ReviewItem, FieldExplanation } from './review/review-task.ts';
export { REVIEW_CODE, REVIEW_CODE_SYSTEM } from './review/review-task.ts';
export type { MatchEngine, MatchOutcome } from './service/match-engine.ts';
export { matchPatient, type IdentityDeps, type Candidate } from './service/match-patient.ts';
export { explainMatch } from './service/explain-match.ts';
export { matchGrade, POSSIBLE_FLOOR, type MatchGrade } from './service/match-grade.ts';
export { matchOnWrite } from './service/match-on-write.ts';
export { identityKpis, type IdentityKpis } from './service/identity-kpis.ts';
export {
  createBasicEngine,
  defaultSettings,
  blockingKeysOf,
  scoreRecords,
  type EngineSettings,
} from './engine/basic-engine.ts';
export { carryOutMergeRequests } from './service/carry-out-merge-requests.ts';
export { createModelEngine } from './model/model-engine.ts';
export { loadModelEngine } from './model/load-model-engine.ts';
export { trainModel, type TrainModelDeps } from './model/train-model.ts';
