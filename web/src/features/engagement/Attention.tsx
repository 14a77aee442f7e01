import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { formatDateTime, idOf, patientName } from '../../shared/fhir/format.ts';
import type { Patient } from '../../shared/fhir/types.ts';
import { useReferenced } from '../../shared/fhir/use-names.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { channelOf, type Communication } from '../../shared/messages/message-channel.ts';
import { PatientMessage } from '../../shared/messages/PatientMessage.tsx';
import { ReplyForm } from '../../shared/messages/ReplyForm.tsx';
import { ATTENTION_LISTS, useAttention, useHandled, type AttentionItem } from './use-engagement.ts';

interface ItemProps {
  item: AttentionItem;
  patient?: Patient;
  message?: Communication;
}

function ItemActions({ item, name, canReply, onReply }: ItemProps & { name: string } & ReplyToggle) {
  const handled = useHandled();
  return (
    <Group gap="sm">
      <Text size="xs" c="dimmed">
        listed {formatDateTime(item.date)}
      </Text>
      {item.owner?.display && <Badge variant="light">{item.owner.display}</Badge>}
      {canReply && (
        <Button size="compact-sm" onClick={onReply} aria-label={`Reply to ${name}`}>
          Reply
        </Button>
      )}
      <Button
        size="compact-sm"
        variant="light"
        loading={handled.isPending}
        onClick={() => handled.mutate(item.id)}
        aria-label={`Mark handled: ${item.title}, ${name}`}
      >
        Mark handled
      </Button>
      {handled.error && (
        <Text size="xs" c="red.9" role="alert">
          {handled.error.message}
        </Text>
      )}
    </Group>
  );
}

interface ReplyToggle {
  canReply: boolean;
  onReply: () => void;
}

function Item({ item, patient, message }: ItemProps) {
  const [replying, setReplying] = useState(false);
  const [done, setDone] = useState<string>();
  const name = patient ? patientName(patient) : 'Patient';
  const channel = channelOf(message)?.channel;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="attention-item">
      <Group justify="space-between" wrap="wrap" gap="sm" align="flex-start">
        <Stack gap={2} style={{ flex: '1 1 16rem' }}>
          {item.patient && (
            <Anchor component={Link} href={`/patients/${idOf(item.patient)}`} fw={600} size="sm">
              {name}
            </Anchor>
          )}
          <Text size="sm">{item.title}</Text>
          {message ? (
            <PatientMessage message={message} />
          ) : (
            item.description && (
              <Text size="xs" c="dimmed" lineClamp={3}>
                {item.description}
              </Text>
            )
          )}
        </Stack>
        <ItemActions
          item={item}
          name={name}
          canReply={Boolean(channel && item.patient) && !done}
          onReply={() => setReplying((open) => !open)}
        />
      </Group>
      {replying && channel && item.patient && !done && (
        <ReplyForm
          patient={item.patient}
          channel={channel}
          channelLabel={channelOf(message)!.label}
          onDone={setDone}
        />
      )}
      {done && (
        <Text size="sm" c="teal.9" mt="xs" role="status">
          {done}
        </Text>
      )}
    </Paper>
  );
}

function AttentionList({ name, label }: { name: string; label: string }) {
  const list = useAttention(name);
  const items = list.data?.items ?? [];
  const patients = useReferenced<Patient>(
    'Patient',
    items.map((item) => item.patient),
  );
  return (
    <Stack gap="xs" component="section" aria-label={label}>
      <Title order={2} size="h4">
        {label} {list.data && <Badge variant="default">{list.data.total}</Badge>}
      </Title>
      <QueryState
        query={list}
        height={80}
        isEmpty={(data) => data.items.length === 0}
        empty="Nothing waiting."
      >
        {(data) =>
          data.items.map((item) => (
            <Item
              key={item.id}
              item={item}
              patient={item.patient ? patients.data?.get(item.patient) : undefined}
              message={item.message}
            />
          ))
        }
      </QueryState>
    </Stack>
  );
}

/** Patients' replies and failed outreach waiting for a person, list by list. */
export function Attention() {
  return (
    <Stack gap="lg">
      {ATTENTION_LISTS.map((list) => (
        <AttentionList key={list.name} {...list} />
      ))}
    </Stack>
  );
}
