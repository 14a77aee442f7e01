import type { Communication, Resource } from '@medplum/fhirtypes';
import { patientOf, type Fact, type KpiCollector, type KpiDefinition } from './kpi-model.ts';

const byChannel: KpiDefinition['dimensions'] = ['channel'];

/** How src/engagement writes outreach (its README): the codes are repeated here, not imported. */
const DELIVERY_STATE_URL = 'https://throughline.dev/fhir/StructureDefinition/delivery-state';
export const REPLY_ACTION_URL = 'https://throughline.dev/fhir/StructureDefinition/reply-action';
const PURPOSE_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/outreach-purpose';
const channels: Record<string, string> = {
  SMSWRIT: 'sms',
  EMAILWRIT: 'email',
  WHATSAPP: 'whatsapp',
  PHONE: 'voice',
};

export interface Attempt {
  id: string;
  at: string;
  patient?: string;
  channel: string;
  reminder: boolean;
  delivered: boolean;
}

export const extensionCode = (communication: Communication, url: string) =>
  communication.extension?.find((extension) => extension.url === url)?.valueCode;
export const channelOf = (communication: Communication) =>
  communication.medium
    ?.flatMap((concept) => concept.coding ?? [])
    .map((coding) => channels[coding.code ?? ''])
    .find((channel) => channel !== undefined) ?? 'other';
const isReminder = (communication: Communication) =>
  communication.category?.some((concept) =>
    concept.coding?.some(
      (coding) => coding.system === PURPOSE_SYSTEM && coding.code === 'appointment-reminder',
    ),
  ) ?? false;

/** An outreach attempt that left (or failed): not one still queued. */
export function attemptOf(communication: Communication): Attempt | undefined {
  const basedOnRequest = communication.basedOn?.some((ref) =>
    ref.reference?.startsWith('CommunicationRequest/'),
  );
  if (!basedOnRequest || communication.inResponseTo) return undefined;
  const state = extensionCode(communication, DELIVERY_STATE_URL);
  const delivered = communication.status === 'completed' || state === 'delivered' || state === 'read';
  const ended = delivered || communication.status === 'not-done' || state === 'sent' || state === 'failed';
  if (!ended) return undefined;
  return {
    id: communication.id!,
    at: communication.sent ?? communication.meta?.lastUpdated ?? '',
    patient: patientOf(communication.subject?.reference),
    channel: channelOf(communication),
    reminder: isReminder(communication),
    delivered,
  };
}

/** The outreach KPIs, each filterable by channel. */
const reminderDefinitions: KpiDefinition[] = [
  { id: 'outreach-delivery-rate', title: 'Messages delivered', kind: 'rate', dimensions: byChannel },
  {
    id: 'outreach-response-rate',
    title: 'Delivered messages the patient replied to',
    kind: 'rate',
    dimensions: byChannel,
  },
  {
    id: 'reminder-confirmation-rate',
    title: 'Delivered appointment reminders confirmed',
    kind: 'rate',
    dimensions: byChannel,
  },
  { id: 'opt-outs', title: 'Replies that opted out of a channel', kind: 'count', dimensions: byChannel },
];

/** Delivery, response and confirmation of outreach by channel, from Communication. */
export function reminderKpis(): KpiCollector {
  const attempts: Attempt[] = [];
  const replies = new Map<string, string>();
  // Opt-outs are grouped by the channel of the message they answered: known once all are read.
  const channelOfAttempt = new Map<string, string>();
  const optOuts: { answered: string; at: string; patient?: string }[] = [];
  return {
    types: ['Communication'],
    kpis: reminderDefinitions,
    add(resource: Resource) {
      const communication = resource as Communication;
      const answered = communication.inResponseTo?.[0]?.reference?.replace(/^Communication\//, '');
      const action = extensionCode(communication, REPLY_ACTION_URL);
      if (answered) replies.set(answered, action ?? 'reply');
      if (answered && action === 'opt-out') optOuts.push(optOutOf(communication, answered));
      if (communication.basedOn) channelOfAttempt.set(communication.id!, channelOf(communication));
      const attempt = attemptOf(communication);
      if (attempt) attempts.push(attempt);
    },
    facts: () => [
      ...attempts.flatMap((attempt) => attemptFacts(attempt, replies.get(attempt.id))),
      ...optOuts.map(({ answered, at, patient }) => {
        const channel = channelOfAttempt.get(answered) ?? 'other';
        return { kpi: 'opt-outs', at, patient, group: channel, channel, inNumerator: true };
      }),
    ],
  };
}

/** An opt-out reply (engagement's reply grammar acted on STOP), dated when it came in. */
export function optOutOf(reply: Communication, answered: string) {
  return {
    answered,
    at: reply.received ?? reply.sent ?? reply.meta?.lastUpdated ?? '',
    patient: patientOf(reply.subject?.reference ?? reply.sender?.reference),
  };
}

export function attemptFacts(attempt: Attempt, reply: string | undefined): Fact[] {
  const { at, patient, channel } = attempt;
  const base = { at, patient, group: channel, channel };
  const facts: Fact[] = [{ kpi: 'outreach-delivery-rate', ...base, inNumerator: attempt.delivered }];
  if (!attempt.delivered) return facts;
  facts.push({ kpi: 'outreach-response-rate', ...base, inNumerator: reply !== undefined });
  if (attempt.reminder)
    facts.push({ kpi: 'reminder-confirmation-rate', ...base, inNumerator: reply === 'confirm' });
  return facts;
}
