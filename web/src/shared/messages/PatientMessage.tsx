import { Badge, Box, Group, Spoiler, Text } from '@mantine/core';
import { formatDateTime } from '../fhir/format.ts';
import { whenWords } from '../fhir/when-words.ts';
import { channelOf, isRedacted, messageText, type Communication } from './message-channel.ts';

/** About two lines of `sm` text: longer messages fold, the rest is one click away. */
const FOLDED_HEIGHT = 44;

/** What she wrote, folded to two lines; "(no text)" or why it is hidden when there is none. */
function MessageBody({ message }: { message: Communication }) {
  const text = messageText(message);
  if (!text)
    return (
      <Text size="sm" c="dimmed">
        {isRedacted(message) ? '(the text is not shown to your role)' : '(no text)'}
      </Text>
    );
  return (
    <Spoiler
      maxHeight={FOLDED_HEIGHT}
      showLabel="Show all"
      hideLabel="Show less"
      transitionDuration={0}
      styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}
    >
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="message-text">
        {text}
      </Text>
    </Spoiler>
  );
}

/**
 * What the patient said, on which channel and when (in the words of the desk, the full date on
 * hover): the coordinator reads and answers it from the list, without opening her record.
 */
export function PatientMessage({ message }: { message: Communication }) {
  const channel = channelOf(message);
  const when = message.received ?? message.sent;
  return (
    <Box
      pl="xs"
      mt={4}
      style={{ borderLeft: '3px solid var(--mantine-color-blue-3)' }}
      data-testid="patient-message"
    >
      <Group gap="xs">
        {channel && (
          <Badge variant="outline" size="sm">
            {channel.label}
          </Badge>
        )}
        <Text size="xs" c="dimmed" title={formatDateTime(when)}>
          received {whenWords(when)}
        </Text>
      </Group>
      <MessageBody message={message} />
    </Box>
  );
}
