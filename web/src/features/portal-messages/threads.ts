import type { CodeableConcept, Resource } from '../../shared/fhir/types.ts';
import type { Attachment } from './attachment.ts';

export interface Communication extends Resource {
  status?: string;
  sent?: string;
  received?: string;
  topic?: CodeableConcept;
  medium?: CodeableConcept[];
  sender?: { reference?: string };
  inResponseTo?: { reference?: string }[];
  payload?: { contentString?: string; contentAttachment?: Attachment }[];
  statusReason?: CodeableConcept;
}

export interface Thread {
  id: string;
  topic: string;
  /** Oldest first, as a conversation reads. */
  messages: Communication[];
  latest: string;
  /** A portal conversation she can answer in; SMS, email and calls are listed as they were. */
  portal: boolean;
}

/** v3 ParticipationMode "online written": what the portal sends and answers. */
export const PORTAL_MEDIUM = 'ONLINEWRIT';

const CHANNEL_NAMES: Record<string, string> = {
  SMSWRIT: 'SMS',
  EMAILWRIT: 'Email',
  WHATSAPP: 'WhatsApp',
  PHONE: 'Phone call',
  ONLINEWRIT: 'Portal',
};

export function channelName(message: Communication): string {
  const code = message.medium?.[0]?.coding?.[0]?.code ?? '';
  return CHANNEL_NAMES[code] ?? 'Message';
}

export const fromPatient = (message: Communication) =>
  /^(Patient|RelatedPerson)\//.test(message.sender?.reference ?? '');
export const timeOf = (message: Communication) =>
  message.sent ?? message.received ?? message.meta?.lastUpdated ?? '';

/** The first message of a conversation: follow `inResponseTo` back as far as she can read. */
function rootOf(message: Communication, byId: Map<string, Communication>): Communication {
  let current = message;
  for (let hops = 0; hops < 50; hops++) {
    const parentId = current.inResponseTo?.[0]?.reference?.split('/')[1];
    const parent = parentId ? byId.get(parentId) : undefined;
    if (!parent) return current;
    current = parent;
  }
  return current;
}

/** Conversations, the latest first: each message under the first message it answers. */
export function threadsOf(messages: Communication[]): Thread[] {
  const byId = new Map(messages.map((m) => [m.id ?? '', m]));
  const groups = new Map<string, Communication[]>();
  for (const message of messages) {
    const root = rootOf(message, byId);
    groups.set(root.id ?? '', [...(groups.get(root.id ?? '') ?? []), message]);
  }
  return [...groups.entries()]
    .map(([id, list]) => {
      const sorted = list.sort((a, b) => timeOf(a).localeCompare(timeOf(b)));
      const first = sorted[0]!;
      return {
        id,
        topic:
          first.topic?.text ?? `${channelName(first)} ${fromPatient(first) ? 'from you' : 'from the clinic'}`,
        messages: sorted,
        latest: timeOf(sorted.at(-1)!),
        portal: sorted.some((m) => channelName(m) === 'Portal'),
      };
    })
    .sort((a, b) => b.latest.localeCompare(a.latest));
}
