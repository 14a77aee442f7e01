// Public face of the analytics module (layer 3): bulk export and KPIs, read from FHIR through the store.
export { parseExportRequest, type ExportRequest, type ExportLevel } from './export/export-request.ts';
export { planExport, type TypePlan, type TypeQuery } from './export/export-plan.ts';
export { requireBulkExport, systemExportTypes } from './export/export-access.ts';
export {
  startExportJobs,
  type ExportJobs,
  type ExportJobsOptions,
  type JobStatus,
} from './export/export-jobs.ts';
export type { ExportManifest, ExportCaller } from './export/export-status.ts';
export {
  computeKpis,
  collectKpiFacts,
  patientsBehind,
  kpiDefinitions,
  type KpiFacts,
} from './kpis/compute-kpis.ts';
export { kpisFromFacts, patientsFromFacts, measureFromFacts } from './kpis/kpi-figures.ts';
export { keepKpiFacts, type KpiFactDeps } from './kpis/keep-kpi-facts.ts';
export { adherenceAsOf, adherenceBehind, keepAdherenceTo } from './kpis/adherence-runs.ts';
export { factsOfResource } from './kpis/resource-facts.ts';
export { parseKpiFilters, filterKpiFacts, type KpiFilters } from './kpis/kpi-filters.ts';
export {
  COHORT_SEARCH_URL,
  cohortRecords,
  maxCohortMembers,
  type PatientSearch,
} from './kpis/cohort-records.ts';
export { parseWindow, bucketOf, bucketWindow, type KpiWindow, type Period } from './kpis/kpi-period.ts';
export type { KpiResult, KpiBucket, Figure } from './kpis/aggregate-kpis.ts';
export { evaluateMeasure, parseMeasurePeriod, type MeasurePeriod } from './kpis/evaluate-measure.ts';
