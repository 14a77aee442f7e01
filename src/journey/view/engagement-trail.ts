import type {
  Communication,
  CommunicationRequest,
  QuestionnaireResponse,
  Resource,
} from '@medplum/fhirtypes';

export interface EngagementItem {
  reference: string;
  date: string;
  kind: 'call' | 'message' | 'reminder' | 'form';
  channel?: string;
  direction: 'inbound' | 'outbound';
  /** completed, missed, failed, scheduled, … (what happened, in words a front desk uses). */
  status: string;
  /** The patient's reply to it, if any. */
  response?: string;
  /** What the reply did, when engagement acted on it: confirm, reschedule, opt-out, opt-in. */
  responseAction?: string;
  text?: string;
  /** Why it failed or did not go (a refused consent, a wrong number, a cancelled appointment). */
  reason?: string;
}

/** Engagement's documented extensions, read by URL (journey does not import engagement). */
const DELIVERY_STATE_URL = 'https://throughline.dev/fhir/StructureDefinition/delivery-state';
const REPLY_ACTION_URL = 'https://throughline.dev/fhir/StructureDefinition/reply-action';
const codeOf = (resource: Communication, url: string) =>
  resource.extension?.find((extension) => extension.url === url)?.valueCode;

const CHANNELS: Record<string, string> = {
  PHONE: 'phone',
  SMSWRIT: 'sms',
  EMAILWRIT: 'email',
  WHATSAPP: 'whatsapp',
  MAILWRIT: 'mail',
  ONLINEWRIT: 'portal',
  VIDEOCONF: 'video',
};

/**
 * The engagement trail, newest first: every call (missed ones too), message, reminder and
 * form, with channel, direction, what happened and the patient's response — the answer to
 * "did anyone reach her?" without opening each Communication.
 */
export function engagementTrail(resources: Resource[]): EngagementItem[] {
  const communications = resources.filter((r): r is Communication => r.resourceType === 'Communication');
  const replies = new Map<string, Communication>();
  for (const reply of communications)
    for (const to of reply.inResponseTo ?? []) if (to.reference) replies.set(to.reference, reply);
  // A request with an attempt is told by its attempts; one without is scheduled or did not go.
  const attempted = new Set(communications.flatMap((c) => (c.basedOn ?? []).map((r) => r.reference)));
  const items: EngagementItem[] = [
    ...communications.map((c) => communicationItem(c, replies.get(`Communication/${c.id}`))),
    ...resources
      .filter((r): r is CommunicationRequest => r.resourceType === 'CommunicationRequest')
      .filter((request) => !attempted.has(`CommunicationRequest/${request.id}`))
      .map(requestItem),
    ...resources
      .filter((r): r is QuestionnaireResponse => r.resourceType === 'QuestionnaireResponse')
      .map(formItem),
  ];
  return items.sort((a, b) => b.date.localeCompare(a.date));
}

function channelOf(medium: Communication['medium']): string | undefined {
  const code = medium?.flatMap((concept) => concept.coding ?? []).find((coding) => coding.code)?.code;
  return code ? (CHANNELS[code] ?? code.toLowerCase()) : undefined;
}

function communicationItem(communication: Communication, reply: Communication | undefined): EngagementItem {
  const channel = channelOf(communication.medium);
  // Inbound: from the patient, or from a caregiver acting for her (a RelatedPerson).
  const inbound = /^(Patient|RelatedPerson)\//.test(communication.sender?.reference ?? '');
  const reminder = communication.category?.some((c) =>
    c.coding?.some((coding) => coding.code === 'reminder' || coding.code === 'appointment-reminder'),
  );
  const missed = communication.status === 'not-done' && channel === 'phone';
  const delivery = codeOf(communication, DELIVERY_STATE_URL);
  const status = missed
    ? 'missed'
    : communication.status === 'not-done'
      ? 'failed'
      : (delivery ?? communication.status);
  const responseAction = reply ? codeOf(reply, REPLY_ACTION_URL) : undefined;
  return {
    reference: `Communication/${communication.id}`,
    date: communication.sent ?? communication.received ?? communication.meta?.lastUpdated ?? '',
    kind: channel === 'phone' ? 'call' : reminder ? 'reminder' : 'message',
    channel,
    direction: inbound ? 'inbound' : 'outbound',
    status,
    ...(reply ? { response: reply.payload?.[0]?.contentString ?? `Communication/${reply.id}` } : {}),
    ...(responseAction ? { responseAction } : {}),
    text: withAttachmentNames(
      communication.payload?.[0]?.contentString ?? communication.statusReason?.text,
      communication,
    ),
    ...(communication.statusReason?.text ? { reason: communication.statusReason.text } : {}),
  };
}

/** Staff see which files came with a message (by name; the file is read on the resource itself). */
function withAttachmentNames(text: string | undefined, communication: Communication): string | undefined {
  const names = (communication.payload ?? []).flatMap((part) =>
    part.contentAttachment ? [part.contentAttachment.title ?? 'untitled file'] : [],
  );
  return names.length === 0 ? text : `${text ?? ''} [attached: ${names.join(', ')}]`.trim();
}

/** Engagement's deferral on a due request (quiet hours, the SMS cap), read by URL. */
const DEFERRAL_URL = 'https://throughline.dev/fhir/StructureDefinition/outreach-deferral';
const DEFERRAL_WHY: Record<string, string> = { 'quiet-hours': 'quiet hours', 'sms-cap': 'the SMS limit' };

function deferralText(request: CommunicationRequest): string | undefined {
  if (request.status !== 'active') return undefined;
  const parts = request.extension?.find((extension) => extension.url === DEFERRAL_URL)?.extension;
  const until = parts?.find((part) => part.url === 'until')?.valueDateTime;
  const reason = parts?.find((part) => part.url === 'reason')?.valueCode ?? '';
  return until ? `Held back by ${DEFERRAL_WHY[reason] ?? reason} until ${until}` : undefined;
}

function requestItem(request: CommunicationRequest): EngagementItem {
  const deferred = deferralText(request);
  return {
    reference: `CommunicationRequest/${request.id}`,
    date: request.occurrenceDateTime ?? request.authoredOn ?? '',
    kind: 'reminder',
    channel: channelOf(request.medium),
    direction: 'outbound',
    status: deferred ? 'deferred' : request.status === 'active' ? 'scheduled' : request.status,
    text: request.payload?.[0]?.contentString,
    ...(deferred ? { reason: deferred } : {}),
    ...(request.statusReason?.text ? { reason: request.statusReason.text } : {}),
  };
}

function formItem(response: QuestionnaireResponse): EngagementItem {
  return {
    reference: `QuestionnaireResponse/${response.id}`,
    date: response.authored ?? '',
    kind: 'form',
    channel: 'portal',
    direction: 'inbound',
    status: response.status,
    text: response.questionnaire,
  };
}
