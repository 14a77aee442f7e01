import { Anchor, Badge, Button, Group, Menu, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { formatDate, idOf, patientName } from '../../shared/fhir/format.ts';
import type { Patient } from '../../shared/fhir/types.ts';
import { PatientMessage } from '../../shared/messages/PatientMessage.tsx';
import { useSession } from '../../shared/session/use-session.ts';
import { CorrectionActions } from './CorrectionActions.tsx';
import { ReplyButton, ReplyRow, replyTarget, type RowReply } from './MessageReply.tsx';
import { CORRECTIONS_WORKLIST, useWorklistAction, type WorklistItem } from './use-worklists.ts';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** Claim or release, complete, snooze; `leading` goes first (a message's Reply). */
function Actions({ item, leading }: { item: WorklistItem; leading?: ReactNode }) {
  const session = useSession();
  const act = useWorklistAction();
  const mine =
    item.owner?.reference?.endsWith(session?.user.id ?? '\0') || item.owner?.display === session?.user.name;
  const busy = act.isPending;
  return (
    <Group gap={6} wrap="wrap" justify="flex-end">
      {leading}
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

/**
 * A badge that never cuts its word: the table gave the cell a fraction of a pixel less than the
 * badge's width, and Mantine's ellipsis turned "Open" into "OP…".
 */
const WHOLE_WORD = { root: { flexShrink: 0 }, label: { overflow: 'visible' } } as const;

/** The item's state in words (replied, once a reply is queued), its priority when not routine, and who has it. */
function StatusCell({ item, replied }: { item: WorklistItem; replied: boolean }) {
  return (
    <Table.Td>
      <Group gap={4} wrap="nowrap">
        {replied ? (
          <Badge variant="light" color="teal" size="sm" styles={WHOLE_WORD}>
            Replied
          </Badge>
        ) : (
          <Badge variant="light" color="gray" size="sm" styles={WHOLE_WORD}>
            {STATUS_LABELS[item.status] ?? item.status}
          </Badge>
        )}
        {item.priority && item.priority !== 'routine' && (
          <Badge
            variant="light"
            color={PRIORITY_COLORS[item.priority] ?? 'gray'}
            size="sm"
            styles={WHOLE_WORD}
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

/** What the work is; for a message, what the patient wrote instead of the rule's explanation. */
function WhatCell({ item }: { item: WorklistItem }) {
  return (
    <Table.Td>
      <Stack gap={0}>
        <Text size="sm" fw={600}>
          {item.title}
        </Text>
        {item.message ? (
          <PatientMessage message={item.message} />
        ) : (
          <Text size="xs" c="dimmed" lineClamp={2}>
            {item.description}
          </Text>
        )}
      </Stack>
    </Table.Td>
  );
}

const COLUMNS = 5;

export function WorklistRow({
  item,
  patient,
  list,
  reply,
}: {
  item: WorklistItem;
  patient?: Patient;
  list: string;
  reply: RowReply;
}) {
  const [replying, setReplying] = useState(false);
  const name = patient ? patientName(patient) : 'the patient';
  const canReply = reply.allowed && !reply.done && replyTarget(item) !== undefined;
  const leading = canReply && (
    <ReplyButton name={name} open={replying} onToggle={() => setReplying((open) => !open)} />
  );
  return (
    <>
      <Table.Tr data-testid="worklist-item" data-task={item.id}>
        <WhatCell item={item} />
        <Table.Td>
          {item.patient ? (
            <Anchor component={Link} href={`/patients/${idOf(item.patient)}`} size="sm">
              {patient ? patientName(patient) : 'Open patient'}
            </Anchor>
          ) : (
            '—'
          )}
        </Table.Td>
        <StatusCell item={item} replied={!!reply.done} />
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <Text size="sm" c="dimmed">
            {formatDate(item.date)}
          </Text>
        </Table.Td>
        <Table.Td>
          {list === CORRECTIONS_WORKLIST ? (
            <CorrectionActions item={item} />
          ) : (
            <Actions item={item} leading={leading} />
          )}
        </Table.Td>
      </Table.Tr>
      {replying && <ReplyRow item={item} reply={reply} columns={COLUMNS} />}
    </>
  );
}
