import { Alert, Button, Group, List, Stack, Text, Title } from '@mantine/core';
import { formatDateTime } from '../../shared/fhir/format.ts';
import {
  DRY_RUN_DAYS,
  useActivate,
  useDryRun,
  type DryRunItem,
  type DryRunReport,
  type RulePlan,
} from './use-automation.ts';

/** How many items of each list the page shows (the report may hold thousands). */
const SHOWN = 20;

function ItemLine({ item }: { item: DryRunItem }) {
  const what =
    item.stoppedBy ?? item.actions.map((a) => (a.note ? `${a.type} (${a.note})` : a.type)).join(', ');
  return (
    <List.Item>
      <Text size="xs">
        <Text span fw={600} size="xs">
          {item.patient ?? item.event}
        </Text>
        {` — ${what}`}
      </Text>
    </List.Item>
  );
}

function ItemList({ title, items }: { title: string; items: DryRunItem[] }) {
  if (items.length === 0) return null;
  return (
    <Stack gap={4}>
      <Title order={4} size="h6">{`${title} (${items.length})`}</Title>
      <List size="xs" spacing={2} data-testid={`dry-run-${title === 'Would act' ? 'would-act' : 'stopped'}`}>
        {items.slice(0, SHOWN).map((item) => (
          <ItemLine key={item.event} item={item} />
        ))}
      </List>
      {items.length > SHOWN && <Text size="xs" c="dimmed">{`and ${items.length - SHOWN} more`}</Text>}
    </Stack>
  );
}

function Report({ report }: { report: DryRunReport }) {
  const next = report.schedule?.next[0];
  return (
    <Stack gap="sm" role="region" aria-label="Dry run result">
      <Text size="sm" data-testid="dry-run-summary">
        {`${report.wouldAct.length} would act, ${report.stopped.length} stopped, of ${report.eventsExamined} examined since ${formatDateTime(report.since)}.`}
      </Text>
      {next && <Text size="sm">{`Next occurrence: ${next.local}.`}</Text>}
      <ItemList title="Would act" items={report.wouldAct} />
      <ItemList title="Stopped" items={report.stopped} />
    </Stack>
  );
}

/**
 * The dry run of a stored rule over the last 30 days (nothing acted on), and — for a draft —
 * activation, which the server allows only once a dry run of exactly this rule was looked at.
 */
export function DryRunPanel({ plan }: { plan: RulePlan }) {
  const dryRun = useDryRun(plan.id);
  const activate = useActivate();
  const canActivate = plan.status === 'draft' && dryRun.isSuccess;
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button variant="light" loading={dryRun.isPending} onClick={() => dryRun.mutate()}>
          {`Dry run (last ${DRY_RUN_DAYS} days)`}
        </Button>
        {plan.status === 'draft' && (
          <Button disabled={!canActivate} loading={activate.isPending} onClick={() => activate.mutate(plan)}>
            Activate
          </Button>
        )}
        {plan.status === 'draft' && !dryRun.isSuccess && (
          <Text size="xs" c="dimmed">
            A draft is activated after its dry run has been looked at.
          </Text>
        )}
      </Group>
      {dryRun.error && (
        <Alert color="red" title="The dry run failed" role="alert">
          {dryRun.error.message}
        </Alert>
      )}
      {activate.error && (
        <Alert color="red" title="Not activated" role="alert">
          {activate.error.message}
        </Alert>
      )}
      {dryRun.data && <Report report={dryRun.data} />}
    </Stack>
  );
}
