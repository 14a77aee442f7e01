import { Badge, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { outreachPurposeDisplay } from '../../../shared/fhir/code-words.ts';
import { formatDateTime } from '../../../shared/fhir/format.ts';
import { QueryState } from '../../../shared/ui/QueryState.tsx';
import { CHANNEL_LABELS } from './campaign-plan.ts';
import { useCampaignReport, type CampaignReport as Report } from './use-campaigns.ts';

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="xs" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={`report-${label.toLowerCase()}`}>
        {value}
      </Text>
    </Paper>
  );
}

function ReportBody({ report }: { report: Report }) {
  return (
    <Stack gap="sm">
      <Text size="sm">
        {report.people} people · {outreachPurposeDisplay(report.purpose)} · from{' '}
        {formatDateTime(report.startAt)} · at most {report.perHour} an hour
      </Text>
      <Text size="sm" c="dimmed">
        Cohort: {report.cohort}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4, md: 7 }}>
        <Figure label="Scheduled" value={report.requests.scheduled} />
        <Figure label="Due" value={report.requests.due} />
        <Figure label="Deferred" value={report.requests.deferred} />
        <Figure label="Sent" value={report.requests.sent} />
        <Figure label="Stopped" value={report.requests.stopped} />
        <Figure label="Replies" value={report.replies} />
        <Figure label="Opt-outs" value={report.optOuts} />
      </SimpleGrid>
      {Object.entries(report.channels).map(([channel, states]) => (
        <Group key={channel} gap="xs">
          <Text size="sm" fw={600}>
            {CHANNEL_LABELS[channel] ?? channel}
          </Text>
          {Object.entries(states).map(([state, count]) => (
            <Badge key={state} variant="light">
              {state}: {count}
            </Badge>
          ))}
        </Group>
      ))}
      {report.stopReasons.length > 0 && (
        <List size="sm" aria-label="Why some were not sent">
          {report.stopReasons.map(({ reason, count }) => (
            <List.Item key={reason}>
              {count} × {reason}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

/** Where one campaign stands: requests by state, deliveries per channel, replies, why not. */
export function CampaignReport({ id }: { id: string }) {
  const report = useCampaignReport(id);
  return (
    <Stack gap="xs" component="section" aria-label="Campaign report">
      <Title order={2} size="h4">
        Report{report.data ? `: ${report.data.name}` : ''}
      </Title>
      <QueryState query={report} height={160}>
        {(data) => <ReportBody report={data} />}
      </QueryState>
    </Stack>
  );
}
