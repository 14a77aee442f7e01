import { Alert, Badge, Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useCorrections, useRequestCorrection, type Correction } from './use-corrections.ts';

const MAX = 2000;

/** Task.status in her words. */
const STATUS: Record<string, { label: string; color: string }> = {
  requested: { label: 'Sent', color: 'gray' },
  received: { label: 'Sent', color: 'gray' },
  accepted: { label: 'Being looked at', color: 'blue' },
  'in-progress': { label: 'Being looked at', color: 'blue' },
  completed: { label: 'Corrected', color: 'green' },
  rejected: { label: 'Not changed', color: 'orange' },
  cancelled: { label: 'Withdrawn', color: 'gray' },
};

function CorrectionForm() {
  const send = useRequestCorrection();
  const [text, setText] = useState('');
  const submit = () => send.mutate(text.trim(), { onSuccess: () => setText('') });
  return (
    <Stack gap="sm">
      <Textarea
        label="What is wrong in your record?"
        description="Say which item and what it should say. The clinic reviews every request."
        autosize
        minRows={3}
        maxLength={MAX}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      {send.error && (
        <Alert color="red" role="alert">
          {send.error.message}
        </Alert>
      )}
      {send.isSuccess && (
        <Alert color="green" role="status">
          Sent. The clinic will review it; its answer shows below.
        </Alert>
      )}
      <Group>
        <Button loading={send.isPending} disabled={!text.trim()} onClick={submit}>
          Ask for a correction
        </Button>
      </Group>
    </Stack>
  );
}

function CorrectionItem({ correction }: { correction: Correction }) {
  const status = STATUS[correction.status] ?? { label: correction.status, color: 'gray' };
  return (
    <List.Item>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Badge color={status.color} variant="light" style={{ flexShrink: 0 }}>
          {status.label}
        </Badge>
        <Text size="sm">{correction.description}</Text>
      </Group>
      <Text size="sm" c="dimmed">
        {correction.authoredOn ? `Asked ${formatDateTime(correction.authoredOn)}` : ''}
        {correction.statusReason ? ` · ${correction.statusReason}` : ''}
      </Text>
    </List.Item>
  );
}

/** "Ask us to correct something" (her right to amend): the form and her requests with their status. */
export function CorrectionSection() {
  const query = useCorrections();
  return (
    <Card padding="md" component="section" aria-label="Ask us to correct something">
      <Title order={2} size="h4" mb="sm">
        Ask us to correct something
      </Title>
      <CorrectionForm />
      <Title order={3} size="h5" mt="md" mb="xs">
        Your requests
      </Title>
      <QueryState
        query={query}
        isEmpty={(rows) => rows.length === 0}
        empty="You have not asked for a correction."
      >
        {(rows) => (
          <List spacing="sm" listStyleType="none">
            {rows.map((correction) => (
              <CorrectionItem key={correction.id} correction={correction} />
            ))}
          </List>
        )}
      </QueryState>
    </Card>
  );
}
