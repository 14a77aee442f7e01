import type { Resource } from '@medplum/fhirtypes';

/**
 * One member of a KPI's denominator (or, for a count, one counted thing): when it happened,
 * whose it is, and whether it is in the numerator. A median KPI carries the measured `days`.
 */
export interface Fact {
  kpi: string;
  /** ISO date or instant that places it in a week or month. */
  at: string;
  patient?: string;
  inNumerator: boolean;
  /** A breakdown (the channel of a reminder). */
  group?: string;
  /** Median KPIs: the measured value (days). */
  days?: number;
  /** Where and by whom (appointments), on which channel (outreach): what filters select on. */
  location?: string;
  practitioner?: string;
  channel?: string;
  /** The full read's journey dimension: the stages (`journey/stage`) its person was in at `at`. */
  stages?: string[];
}

/** What a KPI can be filtered by: the dimensions its facts carry. */
export type KpiDimension = 'location' | 'practitioner' | 'channel';

/** Filters by who the fact is about (its person's journey stage, a cohort of patients): every KPI's unless it says. */
export type PersonDimension = 'journey' | 'cohort';

export type KpiKind = 'rate' | 'count' | 'median';

export interface KpiDefinition {
  id: string;
  title: string;
  kind: KpiKind;
  /** The filters that apply (none: it is not answered when filtered). */
  dimensions?: KpiDimension[];
  /** The person filters that apply (default: both). */
  personDimensions?: PersonDimension[];
}

/**
 * The facts of one area (appointments, reminders, …) from the resources of its types. Areas
 * that join resources (a reply to its attempt) keep what they need until `facts()`.
 */
export interface KpiCollector {
  types: string[];
  kpis: KpiDefinition[];
  add(resource: Resource): void;
  /** The window: for facts made per bucket (adherence measures a year up to each bucket's end). */
  facts(now: Date, window?: { period: 'week' | 'month'; from: string; to: string }): Fact[];
}

export const dayMs = 86_400_000;

export const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / dayMs;

export const patientOf = (reference: string | undefined): string | undefined =>
  reference?.match(/(?:^|\/)Patient\/([^/]+)$/)?.[1];
