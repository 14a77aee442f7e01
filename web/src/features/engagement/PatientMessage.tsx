import { Badge, Blockquote, Group, Text } from '@mantine/core';
import { formatDateTime } from '../../shared/fhir/format.ts';
import type { CodeableConcept, Resource } from '../../shared/fhir/types.ts';

/** The patient's message behind an attention item (the Task's `focus`), as far as staff need it. */
export interface Communication extends Resource {
  resourceType: 'Communication';
  status?: string;
  medium?: CodeableConcept[];
  payload?: { contentString?: string }[];
  sent?: string;
  received?: string;
}

// v3 ParticipationMode codes (and WHATSAPP, as the engagement module writes it) → the channel
// a reply goes out on (`POST /api/engagement/messages`); a call is answered by calling back.
const CHANNEL_OF_MEDIUM: Record<string, { channel?: 'sms' | 'email' | 'whatsapp'; label: string }> = {
  SMSWRIT: { channel: 'sms', label: 'SMS' },
  EMAILWRIT: { channel: 'email', label: 'Email' },
  WHATSAPP: { channel: 'whatsapp', label: 'WhatsApp' },
  PHONE: { label: 'Call' },
};

export function channelOf(message: Communication | undefined) {
  const code = message?.medium?.flatMap((medium) => medium.coding ?? []).find((coding) => coding.code)?.code;
  return code ? CHANNEL_OF_MEDIUM[code] : undefined;
}

/** What the patient said, on which channel and when: the coordinator answers from here. */
export function PatientMessage({ message }: { message: Communication }) {
  const channel = channelOf(message);
  const text = message.payload
    ?.map((part) => part.contentString)
    .filter(Boolean)
    .join('\n');
  return (
    <>
      <Group gap="xs">
        {channel && (
          <Badge variant="outline" size="sm">
            {channel.label}
          </Badge>
        )}
        <Text size="xs" c="dimmed">
          received {formatDateTime(message.received ?? message.sent)}
        </Text>
      </Group>
      {text ? (
        <Blockquote p="xs" mt={4} fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {text}
        </Blockquote>
      ) : (
        <Text size="sm" c="dimmed">
          (no text)
        </Text>
      )}
    </>
  );
}
