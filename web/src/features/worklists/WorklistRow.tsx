import { Anchor, Badge, Button, Group, Menu, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { Link } from 'wouter';
import { formatDate, idOf, patientName } from '../../shared/fhir/format.ts';
import type { Patient } from '../../shared/fhir/types.ts';
import { useSession } from '../../shared/session/use-session.ts';
import { CorrectionActions } from './CorrectionActions.tsx';
import { CORRECTIONS_WORKLIST, useWorklistAction, type WorklistItem } from './use-worklists.ts';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

function Actions({ item }: { item: WorklistItem }) {
  const session = useSession();
  const act = useWorklistAction();
  const mine =
    item.owner?.reference?.endsWith(session?.user.id ?? '\0') || item.owner?.display === session?.user.name;
  const busy = act.isPending;
  return (
    <Group gap={6} wrap="wrap" justify="flex-end">
      {item.owner && mine ? (
        <Button
          size="compact-sm"
          variant="default"
          loading={busy}
          onClick={() => act.mutate({ item, action: 'release' })}
        >
          Release
        </Button>
      ) : (
        <Button
          size="compact-sm"
          variant="light"
          loading={busy}
          disabled={!!item.owner}
          onClick={() => act.mutate({ item, action: 'claim' })}
        >
          Claim
        </Button>
      )}
      <Button size="compact-sm" loading={busy} onClick={() => act.mutate({ item, action: 'complete' })}>
        Complete
      </Button>
      <Menu position="bottom-end">
        <Menu.Target>
          <Button size="compact-sm" variant="subtle" rightSection={<IconChevronDown size={14} aria-hidden />}>
            Snooze
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {[1, 3, 7].map((days) => (
            <Menu.Item key={days} onClick={() => act.mutate({ item, action: 'snooze', until: inDays(days) })}>
              {days === 1 ? 'Until tomorrow' : `For ${days} days`}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {act.error && (
        <Text size="xs" c="red.9" role="alert">
          {act.error.message}
        </Text>
      )}
    </Group>
  );
}

const PRIORITY_COLORS: Record<string, string> = { stat: 'red', asap: 'orange', urgent: 'orange' };

/** The Task.status codes of open work in the words staff use (the code is not for them). */
const STATUS_LABELS: Record<string, string> = {
  requested: 'Open',
  received: 'Open',
  ready: 'Open',
  accepted: 'Assigned',
  'in-progress': 'In progress',
  'on-hold': 'Snoozed',
};

/** The item's state in words, its priority when not routine, and who has it. */
function StatusCell({ item }: { item: WorklistItem }) {
  return (
    <Table.Td>
      <Group gap={4} wrap="nowrap">
        <Badge variant="light" color="gray" size="sm" style={{ flexShrink: 0 }}>
          {STATUS_LABELS[item.status] ?? item.status}
        </Badge>
        {item.priority && item.priority !== 'routine' && (
          <Badge
            variant="light"
            color={PRIORITY_COLORS[item.priority] ?? 'gray'}
            size="sm"
            style={{ flexShrink: 0 }}
          >
            {item.priority}
          </Badge>
        )}
      </Group>
      {item.owner?.display && (
        <Text size="xs" c="dimmed">
          {item.owner.display}
        </Text>
      )}
    </Table.Td>
  );
}

export function WorklistRow({
  item,
  patient,
  list,
}: {
  item: WorklistItem;
  patient?: Patient;
  list: string;
}) {
  return (
    <Table.Tr data-testid="worklist-item" data-task={item.id}>
      <Table.Td>
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            {item.title}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={2}>
            {item.description}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        {item.patient ? (
          <Anchor component={Link} href={`/patients/${idOf(item.patient)}`} size="sm">
            {patient ? patientName(patient) : 'Open patient'}
          </Anchor>
        ) : (
          '—'
        )}
      </Table.Td>
      <StatusCell item={item} />
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm" c="dimmed">
          {formatDate(item.date)}
        </Text>
      </Table.Td>
      <Table.Td>
        {list === CORRECTIONS_WORKLIST ? <CorrectionActions item={item} /> : <Actions item={item} />}
      </Table.Td>
    </Table.Tr>
  );
}
