import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useQuietHours, useSaveQuietHours, type QuietHours, type QuietHoursView } from './use-quiet-hours.ts';

const span = (hours: QuietHours) => `${hours.start}–${hours.end}`;

function Current({ view }: { view: QuietHoursView }) {
  if (view.own) return <Text size="sm">Your quiet hours: {span(view.own)}.</Text>;
  return (
    <Text size="sm">
      {view.clinic
        ? `You use the clinic’s quiet hours: ${span(view.clinic)}.`
        : 'The clinic sends at any hour unless you set quiet hours.'}
    </Text>
  );
}

function QuietHoursForm({ view }: { view: QuietHoursView }) {
  const save = useSaveQuietHours();
  const [hours, setHours] = useState<QuietHours>(view.own ?? view.clinic ?? { start: '21:00', end: '08:00' });
  return (
    <Stack gap="sm">
      <Current view={view} />
      <Group gap="sm" grow wrap="nowrap">
        <TextInput
          label="Quiet from"
          type="time"
          value={hours.start}
          onChange={(e) => setHours({ ...hours, start: e.currentTarget.value })}
        />
        <TextInput
          label="Until"
          type="time"
          value={hours.end}
          onChange={(e) => setHours({ ...hours, end: e.currentTarget.value })}
        />
      </Group>
      {save.error && (
        <Alert color="red" role="alert">
          {save.error.message}
        </Alert>
      )}
      {save.isSuccess && (
        <Alert color="green" role="status">
          Saved. Messages already waiting to be sent follow it too.
        </Alert>
      )}
      <Group gap="sm">
        <Button loading={save.isPending && !!save.variables} onClick={() => save.mutate(hours)}>
          Save quiet hours
        </Button>
        {view.own && (
          <Button
            variant="default"
            loading={save.isPending && !save.variables}
            onClick={() => save.mutate(undefined)}
          >
            Use the clinic’s
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/** When she does not want to hear from the clinic (urgent messages still come). */
export function QuietHoursSection() {
  const query = useQuietHours();
  return (
    <Card padding="md" component="section" aria-label="Quiet hours">
      <Title order={2} size="h4" mb={4}>
        Quiet hours
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        No reminders or other messages reach you in these hours, your time; only urgent ones do.
      </Text>
      <QueryState query={query}>{(view) => <QuietHoursForm view={view} />}</QueryState>
    </Card>
  );
}
