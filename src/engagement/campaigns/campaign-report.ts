import type { Communication, CommunicationRequest, Group } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { searchAll, type FhirRepository } from '../../store/index.ts';
import { deferralOf } from '../engine/deferral.ts';
import { deliveryStateOf } from '../engine/record-attempt.ts';
import { channelOf, REPLY_ACTION_URL } from '../model/outreach-codes.ts';
import { CAMPAIGN_SYSTEM, planOf, type CampaignPlan } from './campaign.ts';

/** References per search: the store's limit on one parameter's OR list. */
const PER_SEARCH = 100;

/** Where a campaign stands: its plan, its requests by state, deliveries per channel, replies. */
export interface CampaignReport extends CampaignPlan {
  id: string;
  people: number;
  /** `deferred`: due, and held back by quiet hours or the SMS cap (`due`: due, next in the queue). */
  requests: { scheduled: number; due: number; deferred: number; sent: number; stopped: number };
  /** Why requests were stopped (consent, deceased, no contact point…), most frequent first. */
  stopReasons: { reason: string; count: number }[];
  /** Attempts per channel by delivery state (queued, sent, delivered, read, failed). */
  channels: Record<string, Record<string, number>>;
  replies: number;
  optOuts: number;
}

/** The report of one campaign, read through the caller's store (what they may see). */
export async function campaignReport(
  repository: FhirRepository,
  report: { id: string; now: Date },
): Promise<CampaignReport> {
  const [group] = await searchAll<Group>(repository, {
    resourceType: 'Group',
    params: [['identifier', `${CAMPAIGN_SYSTEM}|${report.id}`]],
  });
  if (!group) throw new ThroughlineError('NOT_FOUND', `No campaign ${report.id}`, { expression: 'id' });
  const requests = await searchAll<CommunicationRequest>(repository, {
    resourceType: 'CommunicationRequest',
    params: [['group-identifier', `${CAMPAIGN_SYSTEM}|${report.id}`]],
  });
  const attempts = await inChunks(
    requests.map((request) => `CommunicationRequest/${request.id}`),
    (chunk) =>
      searchAll<Communication>(repository, { resourceType: 'Communication', params: [['based-on', chunk]] }),
  );
  const plan = planOf(group);
  const replies = await repliesTo(repository, { attempts, since: plan.startAt });
  return {
    id: report.id,
    ...plan,
    people: group.quantity ?? requests.length,
    requests: requestStates(requests, report.now),
    stopReasons: stopReasons(requests),
    channels: attemptStates(attempts),
    replies: replies.length,
    optOuts: replies.filter((reply) => replyAction(reply) === 'opt-out').length,
  };
}

function requestStates(requests: CommunicationRequest[], now: Date): CampaignReport['requests'] {
  const states = { scheduled: 0, due: 0, deferred: 0, sent: 0, stopped: 0 };
  for (const request of requests) {
    if (request.status === 'completed') states.sent += 1;
    else if (request.status !== 'active') states.stopped += 1;
    else if (Date.parse(request.occurrenceDateTime ?? '') > now.getTime()) states.scheduled += 1;
    else if (deferralOf(request)) states.deferred += 1;
    else states.due += 1;
  }
  return states;
}

function stopReasons(requests: CommunicationRequest[]): CampaignReport['stopReasons'] {
  const counts = new Map<string, number>();
  for (const request of requests.filter(
    (each) => each.status === 'revoked' || each.status === 'entered-in-error',
  )) {
    const reason = request.statusReason?.text ?? request.status;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

function attemptStates(attempts: Communication[]): CampaignReport['channels'] {
  const channels: CampaignReport['channels'] = {};
  for (const attempt of attempts) {
    const channel = channelOf(attempt.medium) ?? 'other';
    const state = attempt.status === 'not-done' ? 'failed' : (deliveryStateOf(attempt) ?? 'queued');
    const counts = (channels[channel] ??= {});
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return channels;
}

/** Replies from the campaign's people since it started that answer one of its messages. */
async function repliesTo(
  repository: FhirRepository,
  answered: { attempts: Communication[]; since: string },
): Promise<Communication[]> {
  const ids = new Set(answered.attempts.map((attempt) => `Communication/${attempt.id}`));
  const people = [...new Set(answered.attempts.flatMap((attempt) => attempt.subject?.reference ?? []))];
  const found = await inChunks(people, (chunk) =>
    searchAll<Communication>(repository, {
      resourceType: 'Communication',
      params: [
        ['sender', chunk],
        ['received', `ge${answered.since}`],
      ],
    }),
  );
  return found.filter((reply) => reply.inResponseTo?.some((to) => ids.has(to.reference ?? '')));
}

const replyAction = (reply: Communication) =>
  reply.extension?.find((extension) => extension.url === REPLY_ACTION_URL)?.valueCode;

async function inChunks<T>(references: string[], search: (chunk: string) => Promise<T[]>): Promise<T[]> {
  const found: T[] = [];
  for (let at = 0; at < references.length; at += PER_SEARCH)
    found.push(...(await search(references.slice(at, at + PER_SEARCH).join(','))));
  return found;
}
