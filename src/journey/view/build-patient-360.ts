import type { Observation, Patient, Resource } from '@medplum/fhirtypes';
import { categoryOf, resourceDate } from './resource-dates.ts';
import { needsAttention, type AttentionItem } from './needs-attention.ts';
import { journeySummary, type JourneyStageView, type PainPointView } from './journey-summary.ts';
import { contactPreferences, type ContactPreferences } from './contact-preferences.ts';
import { socialNeeds, type SocialNeed } from './social-needs.ts';
import { billingSummary, type BillingSummary } from './billing-summary.ts';
import { engagementTrail, type EngagementItem } from './engagement-trail.ts';
import { duplicateAttention, type PossibleDuplicate } from './possible-duplicates.ts';

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
  /** How many items of each kind need attention (the strip's badges). */
  attentionCounts: Partial<Record<AttentionItem['kind'], number>>;
  /** Records that may be the same person, pending review: score, agreeing fields, the Task. */
  possibleDuplicates: PossibleDuplicate[];
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

export interface Patient360Input {
  /** The person's source records (and golden record, if linked). */
  records: Patient[];
  golden?: Patient;
  /** Everything in their compartments, as the caller may see it. */
  resources: Resource[];
  now: Date;
  /** Pending possible duplicates of the person's records, as the caller may see them. */
  possibleDuplicates?: PossibleDuplicate[];
}

/**
 * The 360° view of one person, from every record linked to them: who they are (golden and
 * source records, each with its source), records that may be them too, what needs attention,
 * every resource by section newest first, and trends for tests repeated over time (HbA1c,
 * LDL, eGFR, …).
 */
export function buildPatient360(input: Patient360Input): Patient360 {
  const { records, golden, resources, now } = input;
  const recordIds = new Set(records.map((record) => record.id));
  const content = resources.filter(
    (resource) =>
      !(resource.resourceType === 'Patient' && (recordIds.has(resource.id) || resource.id === golden?.id)),
  );
  const sections: Record<string, ViewItem[]> = {};
  for (const resource of content) (sections[categoryOf(resource)] ??= []).push(item(resource));
  for (const list of Object.values(sections)) list.sort((a, b) => b.date.localeCompare(a.date));
  const possibleDuplicates = input.possibleDuplicates ?? [];
  const attention = withDuplicates(needsAttention(content, now), possibleDuplicates);
  return {
    person: {
      golden,
      records: records.map((patient) => ({ patient, source: patient.meta?.source })),
      contact: contactPreferences(golden ? [golden, ...records] : records, content),
    },
    needsAttention: attention,
    attentionCounts: countByKind(attention),
    possibleDuplicates,
    sections,
    labTrends: labTrends(content),
    socialNeeds: socialNeeds(content),
    billing: billingSummary(content),
    engagement: engagementTrail(content),
    journey: journeySummary(content, now),
    counts: Object.fromEntries(Object.entries(sections).map(([name, list]) => [name, list.length])),
  };
}

/** A review Task in the person's compartment is the duplicate's item, not a second "open task". */
function withDuplicates(items: AttentionItem[], duplicates: PossibleDuplicate[]): AttentionItem[] {
  const tasks = new Set(duplicates.map((duplicate) => duplicate.task));
  return [...items.filter((item) => !tasks.has(item.reference)), ...duplicateAttention(duplicates)].sort(
    (a, b) => (b.date ?? '').localeCompare(a.date ?? ''),
  );
}

function countByKind(items: AttentionItem[]): Patient360['attentionCounts'] {
  const counts: Patient360['attentionCounts'] = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
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
