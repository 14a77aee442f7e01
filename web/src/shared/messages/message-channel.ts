import type { CodeableConcept, Resource } from '../fhir/types.ts';

/** A patient's message as staff screens need it (the worklist item's `message`, a Task's `focus`). */
export interface Communication extends Resource {
  resourceType: 'Communication';
  status?: string;
  medium?: CodeableConcept[];
  payload?: { contentString?: string; contentAttachment?: { contentType?: string; title?: string } }[];
  sent?: string;
  received?: string;
}

/** The channels a staff reply goes out on (`POST /api/engagement/messages`). */
export type ReplyChannel = 'sms' | 'email' | 'whatsapp';

// v3 ParticipationMode codes (and WHATSAPP, as the engagement module writes it) → the channel
// a reply goes out on; a call is answered by calling back.
const CHANNEL_OF_MEDIUM: Record<string, { channel?: ReplyChannel; label: string }> = {
  SMSWRIT: { channel: 'sms', label: 'SMS' },
  EMAILWRIT: { channel: 'email', label: 'Email' },
  WHATSAPP: { channel: 'whatsapp', label: 'WhatsApp' },
  PHONE: { label: 'Call' },
};

export function channelOf(message: Communication | undefined) {
  const code = message?.medium?.flatMap((medium) => medium.coding ?? []).find((coding) => coding.code)?.code;
  return code ? CHANNEL_OF_MEDIUM[code] : undefined;
}

/** What she wrote, parts joined; attachments by name. */
export function messageText(message: Communication): string {
  return (message.payload ?? [])
    .map(
      (part) =>
        part.contentString ??
        (part.contentAttachment ? `Attachment: ${part.contentAttachment.title ?? 'unnamed file'}` : ''),
    )
    .filter(Boolean)
    .join('\n');
}

/** A copy the checkpoint masked for this role (the payload removed, labelled REDACTED). */
export const isRedacted = (message: Communication) =>
  message.meta?.security?.some((label) => label.code === 'REDACTED') ?? false;
