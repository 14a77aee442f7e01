import { Alert, Button, Checkbox, Group, SegmentedControl, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useEngagementAction, type CallInput } from './use-actions.ts';

/** A call with the patient, answered or missed, and what was said. */
export function LogCall({ patient, onDone }: { patient: string; onDone: (message: string) => void }) {
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('outbound');
  const [missed, setMissed] = useState(false);
  const [note, setNote] = useState('');
  const log = useEngagementAction<CallInput>('/api/engagement/calls');
  const submit = () =>
    log.mutate({ patient, direction, missed, note }, { onSuccess: () => onDone('Call logged.') });
  return (
    <Stack>
      <SegmentedControl
        aria-label="Direction"
        value={direction}
        onChange={(value) => setDirection(value as 'inbound' | 'outbound')}
        data={[
          { value: 'outbound', label: 'We called' },
          { value: 'inbound', label: 'They called' },
        ]}
      />
      <Checkbox
        label="Missed (no one answered)"
        checked={missed}
        onChange={(e) => setMissed(e.currentTarget.checked)}
      />
      <Textarea
        label="Note"
        autosize
        minRows={3}
        maxLength={1600}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      {log.error && (
        <Alert color="red" role="alert" title="Not logged">
          {log.error.message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={submit} disabled={note.trim() === ''} loading={log.isPending}>
          Log call
        </Button>
      </Group>
    </Stack>
  );
}
