import { Alert, Button, Group, SegmentedControl, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { MessageStatus, outline } from './MessageStatus.tsx';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useInbound, useReprocess, type InboundFilter, type InboundOutline } from './use-integration.ts';

function Row({ message }: { message: InboundOutline }) {
  const reprocess = useReprocess();
  const failed = message.status === 'failed' || message.status === 'rejected';
  return (
    <Table.Tr data-testid="inbound-message">
      <Table.Td>{formatDateTime(message.receivedAt)}</Table.Td>
      <Table.Td>
        <Text size="sm" fw={600}>
          {message.messageType ?? '—'}
          {message.triggerEvent ? `^${message.triggerEvent}` : ''}
        </Text>
        <Text size="xs" c="dimmed">
          {message.controlId ?? 'no control id'} · {message.sendingApplication ?? 'unknown sender'}
        </Text>
      </Table.Td>
      <Table.Td>
        <MessageStatus status={message.status} />
        {message.attempts > 1 && <Text size="xs" c="dimmed">{`${message.attempts} attempts`}</Text>}
      </Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        <Text size="sm">{message.error ?? `${message.resources.length} resources written`}</Text>
        <Text size="xs" c="dimmed">
          {outline(message.segments)}
        </Text>
        {reprocess.error && (
          <Text size="xs" c="red" role="alert">
            {reprocess.error.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {failed && (
          <Button
            size="compact-sm"
            variant="light"
            loading={reprocess.isPending}
            onClick={() => reprocess.mutate(message.id)}
          >
            Reprocess
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function InboundTable({ messages }: { messages: InboundOutline[] }) {
  return (
    <div className="tl-scroll-x" tabIndex={0} role="region" aria-label="Inbound messages (scrolls sideways)">
      <Table verticalSpacing={6} fz="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Received</Table.Th>
            <Table.Th>Message</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th>
              <VisuallyHidden>Action</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {messages.map((message) => (
            <Row key={message.id} message={message} />
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** What arrived, newest first; failed messages first of all, with the reason and a reprocess button. */
export function InboundMessages() {
  const [filter, setFilter] = useState<InboundFilter>('failed');
  const inbound = useInbound(filter);
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <SegmentedControl
          aria-label="Which messages"
          value={filter}
          onChange={(value) => setFilter(value as InboundFilter)}
          data={[
            { value: 'failed', label: 'Failed' },
            { value: 'rejected', label: 'Rejected' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Text size="xs" c="dimmed">
          Raw messages stay with integration clients; this view shows each message's shape and errors.
        </Text>
      </Group>
      <QueryState
        query={inbound}
        height={240}
        isEmpty={(data) => data.messages.length === 0}
        empty={
          filter === 'all'
            ? 'No messages yet.'
            : `No ${filter} messages. Everything that arrived was processed.`
        }
      >
        {(data) => <InboundTable messages={data.messages} />}
      </QueryState>
      {inbound.data?.messages.length === 100 && (
        <Alert color="gray">The newest 100 are shown. Filter by status to find older failures.</Alert>
      )}
    </Stack>
  );
}
