// Public face of the journey module: the 360° view and timeline (stages, gaps and worklists come next).
export { buildPatient360, type Patient360, type ViewItem, type LabTrend } from './view/build-patient-360.ts';
export { buildTimeline, type TimelineQuery, type TimelineEvent } from './view/build-timeline.ts';
export { loadPersonRecord } from './view/load-person-record.ts';
export { needsAttention, type AttentionItem } from './view/needs-attention.ts';
export { resourceDate, categoryOf } from './view/resource-dates.ts';
