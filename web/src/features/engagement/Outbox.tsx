import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { Deferred } from './Deferred.tsx';
import { OUTBOX_PAGE, useOutbox, type OutboxMessage } from './use-engagement.ts';

const CHANNEL_LABELS: Record<string, string> = {
  sms: 'SMS',
  email: 'Email',
  whatsapp: 'WhatsApp',
  voice: 'Voice',
};

function Message({ message }: { message: OutboxMessage }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid="outbox-message">
      <Group justify="space-between" wrap="wrap" gap="xs" mb={4}>
        <Group gap="xs" wrap="wrap">
          <Badge variant="light">{CHANNEL_LABELS[message.channel] ?? message.channel}</Badge>
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {message.recipient}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {formatDateTime(message.createdAt)}
        </Text>
      </Group>
      {message.subject && (
        <Text size="sm" fw={600}>
          {message.subject}
        </Text>
      )}
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={6}>
        {message.body}
      </Text>
    </Paper>
  );
}

/**
 * What waits for its send window, then what would have gone out on each channel without a
 * provider, newest first, a page at a time.
 */
export function Outbox() {
  const [page, setPage] = useState(0);
  const outbox = useOutbox(page);
  const full = (outbox.data?.messages.length ?? 0) === OUTBOX_PAGE;
  return (
    <Stack gap="xs">
      <Deferred />
      <Title order={2} size="h4" mt="md">
        Sent
      </Title>
      <QueryState
        query={outbox}
        height={300}
        isEmpty={(data) => data.messages.length === 0}
        empty="The outbox is empty."
      >
        {(data) => data.messages.map((message) => <Message key={message.id} message={message} />)}
      </QueryState>
      <Group justify="space-between">
        <Button variant="default" size="compact-sm" disabled={page === 0} onClick={() => setPage(page - 1)}>
          Newer
        </Button>
        <Text size="xs" c="dimmed">
          Page {page + 1}
        </Text>
        <Button variant="default" size="compact-sm" disabled={!full} onClick={() => setPage(page + 1)}>
          Older
        </Button>
      </Group>
    </Stack>
  );
}
