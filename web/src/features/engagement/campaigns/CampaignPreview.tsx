import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { formatDateTime, patientName } from '../../../shared/fhir/format.ts';
import type { Patient } from '../../../shared/fhir/types.ts';
import { useReferenced } from '../../../shared/fhir/use-names.ts';
import { CHANNEL_LABELS } from './campaign-plan.ts';
import type { CampaignPreview as Preview, DeliveryPreview } from './use-campaigns.ts';

/** Rows shown: a preview of thousands is read by its totals; the first rows show how. */
const ROWS = 100;

function Outcome({ outcome, due }: { outcome: DeliveryPreview; due: string }) {
  if (!outcome.send)
    return (
      <Text size="sm" c="red.9">
        Not sent: {outcome.reason}
      </Text>
    );
  const later = Date.parse(outcome.at) > Date.parse(due);
  return (
    <Text size="sm">
      {CHANNEL_LABELS[outcome.channel] ?? outcome.channel}, {formatDateTime(outcome.at)}
      {later && ' (later than planned: quiet hours or the SMS limit)'}
    </Text>
  );
}

/** Who would get what, on which channel and when, and who would not and why. */
export function CampaignPreview({ preview }: { preview: Preview }) {
  const rows = preview.outcomes.slice(0, ROWS);
  const patients = useReferenced<Patient>(
    'Patient',
    rows.map((row) => row.patient),
  );
  return (
    <Stack gap="xs" component="section" aria-label="Preview">
      <Title order={2} size="h4">
        Preview
      </Title>
      <Group gap="xs" data-testid="preview-totals">
        <Badge variant="default">{preview.people} people</Badge>
        {Object.entries(preview.channels).map(([channel, count]) => (
          <Badge key={channel} variant="light">
            {CHANNEL_LABELS[channel] ?? channel}: {count}
          </Badge>
        ))}
        <Badge variant="default">{preview.deferred} later than planned</Badge>
        <Badge variant="outline" color="red.9">
          {preview.notSent} not sent
        </Badge>
      </Group>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Patient</Table.Th>
            <Table.Th scope="col">What would happen</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.patient} data-testid="preview-row">
              <Table.Td>
                {patients.data?.has(row.patient) ? patientName(patients.data.get(row.patient)) : row.patient}
              </Table.Td>
              <Table.Td>
                <Outcome outcome={row.outcome} due={row.due} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {preview.outcomes.length > ROWS && (
        <Text size="xs" c="dimmed">
          The first {ROWS} of {preview.outcomes.length}.
        </Text>
      )}
    </Stack>
  );
}
