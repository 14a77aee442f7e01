import type { Observation, Patient, Resource } from '@medplum/fhirtypes';
import { categoryOf, resourceDate } from './resource-dates.ts';
import { needsAttention, type AttentionItem } from './needs-attention.ts';
import { journeySummary, type JourneyStageView, type PainPointView } from './journey-summary.ts';
import { contactPreferences, type ContactPreferences } from './contact-preferences.ts';
import { socialNeeds, type SocialNeed } from './social-needs.ts';
import { billingSummary, type BillingSummary } from './billing-summary.ts';
import { engagementTrail, type EngagementItem } from './engagement-trail.ts';

export interface ViewItem {
  reference: string;
  resourceType: string;
  date: string;
  /** Where the record came from (`meta.source`). */
  source?: string;
  resource: Resource;
}

export interface LabTrend {
  code: string;
  display: string;
  points: { date: string; value?: number; unit?: string; flag?: string }[];
}

export interface Patient360 {
  person: {
    golden?: Patient;
    records: { patient: Patient; source?: string }[];
    /** Preferred language and channel, and consent per channel. */
    contact: ContactPreferences;
  };
  needsAttention: AttentionItem[];
  sections: Record<string, ViewItem[]>;
  labTrends: LabTrend[];
  /** Social needs (transport, housing, food, …) with what they imply for outreach. */
  socialNeeds: SocialNeed[];
  billing: BillingSummary;
  /** Every call, message, reminder and form: channel, direction, what happened, the response. */
  engagement: EngagementItem[];
  /** Current stage, time in stage and history per journey, and open pain points. */
  journey: { stages: JourneyStageView[]; painPoints: PainPointView[] };
  counts: Record<string, number>;
}

const item = (resource: Resource): ViewItem => ({
  reference: `${resource.resourceType}/${resource.id}`,
  resourceType: resource.resourceType,
  date: resourceDate(resource),
  source: resource.meta?.source,
  resource,
});

/**
 * The 360° view of one person, from every record linked to them: who they are (golden and
 * source records, each with its source), what needs attention, every resource by section
 * newest first, and trends for tests repeated over time (HbA1c, LDL, eGFR, …).
 */
export function buildPatient360(
  records: Patient[],
  golden: Patient | undefined,
  resources: Resource[],
  now: Date,
): Patient360 {
  const recordIds = new Set(records.map((record) => record.id));
  const content = resources.filter(
    (resource) =>
      !(resource.resourceType === 'Patient' && (recordIds.has(resource.id) || resource.id === golden?.id)),
  );
  const sections: Record<string, ViewItem[]> = {};
  for (const resource of content) (sections[categoryOf(resource)] ??= []).push(item(resource));
  for (const list of Object.values(sections)) list.sort((a, b) => b.date.localeCompare(a.date));
  return {
    person: {
      golden,
      records: records.map((patient) => ({ patient, source: patient.meta?.source })),
      contact: contactPreferences(golden ? [golden, ...records] : records, content),
    },
    needsAttention: needsAttention(content, now),
    sections,
    labTrends: labTrends(content),
    socialNeeds: socialNeeds(content),
    billing: billingSummary(content),
    engagement: engagementTrail(content),
    journey: journeySummary(content, now),
    counts: Object.fromEntries(Object.entries(sections).map(([name, list]) => [name, list.length])),
  };
}

function labTrends(resources: Resource[]): LabTrend[] {
  const byCode = new Map<string, Observation[]>();
  for (const observation of resources.filter(
    (r): r is Observation => r.resourceType === 'Observation' && categoryOf(r) === 'labs',
  )) {
    const code = observation.code?.coding?.[0]?.code;
    if (code && observation.valueQuantity) byCode.set(code, [...(byCode.get(code) ?? []), observation]);
  }
  return [...byCode.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([code, list]) => ({
      code,
      display: list[0]?.code?.coding?.[0]?.display ?? list[0]?.code?.text ?? code,
      points: list
        .map((o) => ({
          date: resourceDate(o),
          value: o.valueQuantity?.value,
          unit: o.valueQuantity?.unit,
          flag: o.interpretation?.[0]?.coding?.[0]?.code,
        }))
        .sort((a, b) => a.date.localeCompare(b.date)),
    }));
}
