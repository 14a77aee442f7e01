import type { Bundle, BundleEntry, CommunicationRequest } from '@medplum/fhirtypes';
import { forEachConcurrently } from '../../kernel/concurrency.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { DecisionDeps } from '../engine/engagement-deps.ts';
import { ORDER_KEY_SYSTEM } from '../model/request-outreach.ts';
import { CAMPAIGN_SYSTEM, campaignGroupOf, campaignRequestsOf, type CampaignPlan } from './campaign.ts';
import { previewDelivery, type DeliveryPreview } from './preview-delivery.ts';

/** A campaign about to go: its plan and the people of its cohort (`Patient/{id}`), in order. */
export interface CampaignLaunch {
  id: string;
  plan: CampaignPlan;
  patients: string[];
  now: Date;
}

/** Who would get what, when, and who would not and why: before anything is written. */
export interface CampaignPreview {
  people: number;
  /** Would go, per channel. */
  channels: Record<string, number>;
  /** Would go later than planned (quiet hours, the SMS cap). */
  deferred: number;
  notSent: number;
  /** Every person's outcome, in cohort order. */
  outcomes: { patient: string; due: string; outcome: DeliveryPreview }[];
}

/** Previews in flight at once: each reads a person, their consents and their recent SMS. */
const PREVIEWS_AT_ONCE = 8;

/** The engine's decision for every request the campaign would create, nothing written. */
export async function previewCampaign(deps: DecisionDeps, launch: CampaignLaunch): Promise<CampaignPreview> {
  const requests = campaignRequestsOf(launch.plan, launch);
  const outcomes = new Map<CommunicationRequest, DeliveryPreview>();
  await forEachConcurrently(requests, PREVIEWS_AT_ONCE, async (request) => {
    const due = new Date(Math.max(Date.parse(request.occurrenceDateTime!), launch.now.getTime()));
    outcomes.set(request, await previewDelivery(deps, { request, at: due }));
  });
  const rows = requests.map((request, index) => ({
    patient: launch.patients[index]!,
    due: request.occurrenceDateTime!,
    outcome: outcomes.get(request)!,
  }));
  const channels: Record<string, number> = {};
  for (const { outcome } of rows)
    if (outcome.send) channels[outcome.channel] = (channels[outcome.channel] ?? 0) + 1;
  return {
    people: rows.length,
    channels,
    deferred: rows.filter((row) => row.outcome.send && Date.parse(row.outcome.at) > Date.parse(row.due))
      .length,
    notSent: rows.filter((row) => !row.outcome.send).length,
    outcomes: rows,
  };
}

/**
 * Writes the campaign in one transaction, through the caller's store: its Group and one
 * request per person, each conditional on its key, so launching the same campaign id again
 * (a retried request) creates nothing twice. The engine then sends each when it falls due,
 * checking consent, quiet hours and caps at that moment.
 */
export async function launchCampaign(
  repository: FhirRepository,
  launch: CampaignLaunch,
): Promise<{ id: string; requests: number }> {
  const group = campaignGroupOf(launch.plan, { id: launch.id, people: launch.patients.length });
  const requests = campaignRequestsOf(launch.plan, launch);
  const entry: BundleEntry[] = [
    conditionalCreate(group, `identifier=${CAMPAIGN_SYSTEM}|${launch.id}`),
    ...requests.map((request) =>
      conditionalCreate(request, `identifier=${ORDER_KEY_SYSTEM}|${request.identifier![0]!.value!}`),
    ),
  ];
  await repository.processBundle({ resourceType: 'Bundle', type: 'transaction', entry } as Bundle);
  return { id: launch.id, requests: requests.length };
}

function conditionalCreate(resource: BundleEntry['resource'] & object, ifNoneExist: string): BundleEntry {
  return { resource, request: { method: 'POST', url: resource.resourceType, ifNoneExist } };
}
