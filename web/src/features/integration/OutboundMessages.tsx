import { Table, Text } from '@mantine/core';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { MessageStatus, outline } from './MessageStatus.tsx';
import { useOutbound } from './use-integration.ts';

/** What the platform sent to each HL7 destination (`HL7_DESTINATIONS`), with the ACK's verdict. */
export function OutboundMessages() {
  const outbound = useOutbound();
  return (
    <QueryState
      query={outbound}
      height={240}
      isEmpty={(data) => data.messages.length === 0}
      empty="Nothing sent yet. Destinations are set with HL7_DESTINATIONS."
    >
      {(data) => (
        <div
          className="tl-scroll-x"
          tabIndex={0}
          role="region"
          aria-label="Outbound messages (scrolls sideways)"
        >
          <Table verticalSpacing={6} fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Created</Table.Th>
                <Table.Th>Destination</Table.Th>
                <Table.Th>Message</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.messages.map((message) => (
                <Table.Tr key={message.id}>
                  <Table.Td>{formatDateTime(message.createdAt)}</Table.Td>
                  <Table.Td>{message.destination}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>{`${message.messageType}^${message.triggerEvent}`}</Text>
                    <Text size="xs" c="dimmed">{`${message.controlId} · ${outline(message.segments)}`}</Text>
                  </Table.Td>
                  <Table.Td>
                    <MessageStatus status={message.status} />
                    <Text size="xs" c="dimmed">
                      {message.error ?? `${message.attempts} attempt${message.attempts === 1 ? '' : 's'}`}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </QueryState>
  );
}
