// Public face of the store module: what other modules may use.
export type {
  FhirRepository,
  WriteResult,
  HistoryRequest,
  EverythingRequest,
  SearchRequest,
  SearchScope,
  ConditionalOptions,
  BulkOptions,
  StoredPage,
  StoredRow,
} from './fhir-repository.ts';
export type { SqlDatabase, SqlExecutor } from './sql/database.ts';
export { createFhirRepository, type RepositoryOptions } from './create-repository.ts';
export { openDatabase, type DatabaseSettings } from './open-database.ts';
export { pingDatabase } from './ping-database.ts';
export { searchAll } from './search-all.ts';
export { migrate } from './migrate.ts';
export { outcomeOf } from './bundle/process-bundle.ts';
export {
  recordInboundMessage,
  finishInboundMessage,
  messageKey,
  getInboundMessage,
  listInboundMessages,
  type InboundMessage,
  type InboundHeader,
  type InboundStatus,
  type MessageQuery,
} from './messages/inbound-messages.ts';
export { recordReceivedMany, hasFullKey, type InboundOutcome } from './messages/inbound-message-batch.ts';
export { messageBatchTransaction, type MessageBatchWrite } from './messages/message-batch-transaction.ts';
export {
  startBackgroundWorker,
  type BackgroundWorker,
  type EventHandler,
  type JobHandler,
} from './jobs/background-worker.ts';
export { batchSubscriber, type BatchSubscriberOptions } from './jobs/batch-subscriber.ts';
export type { ChangeEvent } from './jobs/change-events.ts';
export { criteriaLockKeys, findBundleMatches } from './bundle/plan-entries.ts';
export { criteriaSearch } from './find-matches.ts';
export {
  leaseSubscription,
  readEventsAfterCursor,
  advanceCursor,
  releaseSubscription,
  leaseAndReadEvents,
  moveCursorAndRelease,
  moveCursorAndRenew,
  startSubscriptionAtEnd,
  type SubscriptionLease,
} from './jobs/change-events.ts';
export { enqueueJob, listDeadJobs, retryDeadJob, type Job, type NewJob } from './jobs/job-queue.ts';
export {
  startLeasedJob,
  renewJobLease,
  readJobByKey,
  takeOverLeasedJobs,
  endLeasedJob,
  deleteLeasedJob,
  type LeasedJob,
} from './jobs/leased-jobs.ts';
export { scheduleKeyedJob, scheduleKeyedJobs, type KeyedJob, type JobFollowUp } from './jobs/keyed-jobs.ts';
export { replaceBlockKeys, findByBlockKeys, type BlockKeySearch } from './identity-keys.ts';
export {
  insertModelVersion,
  listModelVersions,
  readActiveModel,
  type ModelVersion,
  type ModelSummary,
} from './identity-model.ts';
export { expungeHistory, type ResourceRef } from './write/expunge-history.ts';
export { startStatisticsUpkeep, type StatisticsUpkeep } from './statistics/start-statistics-upkeep.ts';
export { analyzeStaleTables, findStaleTables } from './statistics/analyze-stale-tables.ts';
export {
  runAsBackground,
  beginInteractive,
  interactiveInFlight,
  interactiveWallMs,
} from './sql/work-priority.ts';
export {
  backgroundYield,
  backgroundRoundTrip,
  backgroundTurnTally,
  setBackgroundShare,
} from './sql/background-duty.ts';
export {
  keepOutboxMessage,
  listOutboxMessages,
  type OutboxMessage,
  type StoredOutboxMessage,
} from './outreach-outbox.ts';
export { EXCLUSIVE_IDENTIFIER_SYSTEM } from './write/exclusive-claims.ts';
export {
  keepOutboundMessage,
  recordOutboundAttempt,
  listOutboundMessages,
  getOutboundMessage,
  type NewOutboundMessage,
  type OutboundMessage,
  type OutboundStatus,
  type OutboundAttempt,
} from './messages/outbound-messages.ts';
export {
  replaceKpiFacts,
  rederiveKpiFacts,
  type DerivedKpiFacts,
  type KpiFactRow,
  type KpiFactsOf,
} from './kpi-facts/kpi-fact-rows.ts';
export { readKpiFigures, readKpiFactPatients, type KpiFactSums } from './kpi-facts/read-kpi-figures.ts';
export type { KpiFactQuery } from './kpi-facts/resolved-facts-sql.ts';
export { readKpiSums, type KpiSumQuery } from './kpi-facts/read-kpi-sums.ts';
export { readKpiFactRows, type KeptKpiFact } from './kpi-facts/read-kpi-fact-rows.ts';
export { readKpiFactsLinkedTo, readKpiRunPatients } from './kpi-facts/read-kpi-fact-links.ts';
export { catchUpSubscriber } from './jobs/catch-up-events.ts';
