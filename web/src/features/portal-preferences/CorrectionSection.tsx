import { Alert, Badge, Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useSearch } from 'wouter';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { CORRECT_PARAM, CORRECT_WHAT_PARAM } from '../../shared/ui/CorrectThisLink.tsx';
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

/** The item a "Correct this" link named (`?correct=Observation/1&what=…`), if any. */
function useNamedItem(): { focus: string; what: string } | undefined {
  const search = new URLSearchParams(useSearch());
  const focus = search.get(CORRECT_PARAM);
  return focus ? { focus, what: search.get(CORRECT_WHAT_PARAM) ?? focus } : undefined;
}

function CorrectionForm({ whose }: { whose?: string }) {
  const send = useRequestCorrection();
  const named = useNamedItem();
  const [about, setAbout] = useState(named);
  const [text, setText] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  // Arriving from "Correct this", she lands on the form, ready to type.
  const arrivedFor = named?.focus;
  useEffect(() => {
    if (!arrivedFor) return;
    field.current?.scrollIntoView({ block: 'center' });
    field.current?.focus();
  }, [arrivedFor]);
  const submit = () =>
    send.mutate(
      { description: text.trim(), ...(about ? { focus: about.focus } : {}) },
      { onSuccess: () => (setText(''), setAbout(undefined)) },
    );
  return (
    <Stack gap="sm">
      {about && (
        <Group gap="xs">
          <Text size="sm">
            About: <strong>{about.what}</strong>
          </Text>
          <Button variant="subtle" size="compact-sm" onClick={() => setAbout(undefined)}>
            Not about this item
          </Button>
        </Group>
      )}
      <Textarea
        ref={field}
        label={`What is wrong in ${whose ? `${whose}’s` : 'your'} record?`}
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
export function CorrectionSection({ whose }: { whose?: string }) {
  const query = useCorrections();
  return (
    <Card padding="md" component="section" aria-label="Ask us to correct something">
      <Title order={2} size="h4" mb="sm">
        Ask us to correct something
      </Title>
      <CorrectionForm whose={whose} />
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
