import { Badge, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useAuditLog, type AuditEvent } from './use-integration.ts';

const ACTION_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/audit-action';
const OUTCOMES: Record<string, [string, string]> = {
  '0': ['success', 'teal'],
  '4': ['denied', 'orange'],
  '8': ['failure', 'red'],
};

function Row({ event }: { event: AuditEvent }) {
  const action = event.subtype?.find((coding) => coding.system === ACTION_SYSTEM)?.code ?? '—';
  const who = event.agent?.[0]?.who;
  const patients = (event.entity ?? [])
    .map((entity) => entity.what?.reference)
    .filter((reference): reference is string => reference?.startsWith('Patient/') ?? false);
  const [label, color] = OUTCOMES[event.outcome ?? '0'] ?? ['—', 'gray'];
  return (
    <Table.Tr data-testid="audit-row">
      <Table.Td>{formatDateTime(event.recorded)}</Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        {who?.display ?? who?.identifier?.value ?? 'anonymous'}
      </Table.Td>
      <Table.Td>{action}</Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        {patients.length > 3 ? `${patients.length} patients` : patients.join(', ') || '—'}
      </Table.Td>
      <Table.Td>
        <Badge color={color} variant="light" style={{ width: 'max-content' }}>
          {label}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}

/** Who did what to which record, newest first; the page's own reads are in it too. */
export function AuditLog() {
  const [filter, setFilter] = useState({ patient: '', user: '' });
  const [debounced] = useDebouncedValue(filter, 400);
  const log = useAuditLog(debounced);
  return (
    <Stack gap="sm">
      <Group grow wrap="wrap">
        <TextInput
          label="Patient id"
          value={filter.patient}
          onChange={(event) => setFilter({ ...filter, patient: event.currentTarget.value })}
        />
        <TextInput
          label="User or client"
          value={filter.user}
          onChange={(event) => setFilter({ ...filter, user: event.currentTarget.value })}
        />
      </Group>
      <QueryState
        query={log}
        height={240}
        isEmpty={(data) => (data.entry ?? []).length === 0}
        empty="No access matches."
      >
        {(data) => (
          <div className="tl-scroll-x" tabIndex={0} role="region" aria-label="Audit log (scrolls sideways)">
            <Table verticalSpacing={6} fz="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Patients</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(data.entry ?? []).map((entry, index) =>
                  entry.resource ? <Row key={entry.resource.id ?? index} event={entry.resource} /> : null,
                )}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </QueryState>
      <Text size="xs" c="dimmed">
        The newest 50 entries. Every look at this log is itself recorded.
      </Text>
    </Stack>
  );
}
