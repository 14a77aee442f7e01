import type { CommunicationRequest, Extension, Group } from '@medplum/fhirtypes';
import { ENGAGEMENT_SYSTEM, type Channel, type Purpose } from '../model/outreach-codes.ts';
import { outreachRequestOf } from '../model/request-outreach.ts';

/** A campaign's id: the `Group.identifier` and every request's `groupIdentifier`. */
export const CAMPAIGN_SYSTEM = `${ENGAGEMENT_SYSTEM}/campaign`;
/** The campaign's plan on its Group (purpose, channel, text, pace, start, cohort). */
export const CAMPAIGN_URL = 'https://throughline.dev/fhir/StructureDefinition/outreach-campaign';

/** What staff ask for: one message, for one purpose, to everyone in a cohort, at a pace. */
export interface CampaignPlan {
  name: string;
  purpose: Purpose;
  /** Preferred channel; absent: each patient's own order, then the clinic's. */
  channel?: Channel;
  /** Written text; absent: the purpose's template in each patient's language. */
  text?: string;
  /** Throttle: at most this many fall due per hour, evenly spaced. */
  perHour: number;
  /** When the first falls due (ISO instant). */
  startAt: string;
  /** How the cohort was chosen, in words or as the search (shown on the report). */
  cohort: string;
}

/**
 * The campaign as a FHIR `Group` (DESIGN rule 1): the plan in an extension, `quantity` the
 * people it was sent to. The members are the requests' recipients (searched by
 * `group-identifier`), not listed on the Group, so a campaign joins no patient's compartment.
 */
export function campaignGroupOf(plan: CampaignPlan, launch: { id: string; people: number }): Group {
  const part = (url: string, value: Omit<Extension, 'url'>): Extension[] => [{ url, ...value }];
  return {
    resourceType: 'Group',
    identifier: [{ system: CAMPAIGN_SYSTEM, value: launch.id }],
    type: 'person',
    actual: true,
    code: { coding: [{ system: ENGAGEMENT_SYSTEM, code: 'campaign', display: 'Outreach campaign' }] },
    name: plan.name,
    quantity: launch.people,
    extension: [
      {
        url: CAMPAIGN_URL,
        extension: [
          ...part('purpose', { valueCode: plan.purpose }),
          ...(plan.channel ? part('channel', { valueCode: plan.channel }) : []),
          ...(plan.text ? part('text', { valueString: plan.text }) : []),
          ...part('perHour', { valueInteger: plan.perHour }),
          ...part('startAt', { valueDateTime: plan.startAt }),
          ...part('cohort', { valueString: plan.cohort }),
        ],
      },
    ],
  };
}

/** The plan a campaign Group carries. */
export function planOf(group: Group): CampaignPlan {
  const parts = group.extension?.find((extension) => extension.url === CAMPAIGN_URL)?.extension ?? [];
  const value = (url: string) => parts.find((part) => part.url === url);
  return {
    name: group.name ?? '',
    purpose: value('purpose')?.valueCode as Purpose,
    channel: value('channel')?.valueCode as Channel | undefined,
    text: value('text')?.valueString,
    perHour: value('perHour')?.valueInteger ?? 0,
    startAt: value('startAt')?.valueDateTime ?? '',
    cohort: value('cohort')?.valueString ?? '',
  };
}

/**
 * One CommunicationRequest per person, falling due evenly at the plan's pace (the throttle),
 * each keyed by campaign and patient so a repeated launch creates nothing twice. Consent,
 * quiet hours and caps are checked by the engine when each one goes, not here.
 */
export function campaignRequestsOf(
  plan: CampaignPlan,
  launch: { id: string; patients: string[]; now: Date },
): CommunicationRequest[] {
  const start = Date.parse(plan.startAt);
  const spacingMs = 3_600_000 / plan.perHour;
  return launch.patients.map((patient, index) => ({
    ...outreachRequestOf(
      {
        patient,
        purpose: plan.purpose,
        channel: plan.channel,
        text: plan.text,
        dueAt: new Date(start + Math.floor(index * spacingMs)).toISOString(),
        key: `campaign/${launch.id}/${patient}`,
      },
      launch.now,
    ),
    groupIdentifier: { system: CAMPAIGN_SYSTEM, value: launch.id },
  }));
}
