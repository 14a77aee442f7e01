import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'wouter';
import { formatDateTime, idOf, patientName } from '../../shared/fhir/format.ts';
import type { Patient } from '../../shared/fhir/types.ts';
import { useReferenced } from '../../shared/fhir/use-names.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { ATTENTION_LISTS, useAttention, useHandled, type AttentionItem } from './use-engagement.ts';

function Item({ item, patient }: { item: AttentionItem; patient?: Patient }) {
  const handled = useHandled();
  return (
    <Paper withBorder p="sm" radius="md" data-testid="attention-item">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2} style={{ flex: '1 1 16rem' }}>
          {item.patient && (
            <Anchor component={Link} href={`/patients/${idOf(item.patient)}`} fw={600} size="sm">
              {patient ? patientName(patient) : 'Patient'}
            </Anchor>
          )}
          <Text size="sm">{item.title}</Text>
          {item.description && (
            <Text size="xs" c="dimmed" lineClamp={3}>
              {item.description}
            </Text>
          )}
        </Stack>
        <Group gap="sm" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {formatDateTime(item.date)}
          </Text>
          {item.owner?.display && <Badge variant="light">{item.owner.display}</Badge>}
          <Button
            size="compact-sm"
            variant="light"
            loading={handled.isPending}
            onClick={() => handled.mutate(item.id)}
          >
            Handled
          </Button>
        </Group>
      </Group>
      {handled.error && (
        <Text size="xs" c="red.9" role="alert">
          {handled.error.message}
        </Text>
      )}
    </Paper>
  );
}

function AttentionList({ name, label }: { name: string; label: string }) {
  const list = useAttention(name);
  const patients = useReferenced<Patient>('Patient', list.data?.items.map((item) => item.patient) ?? []);
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
