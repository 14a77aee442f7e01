import { Alert, Button, Group, SegmentedControl, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useFollowUp, type FollowUpInput } from './use-actions.ts';

const today = () => new Date().toISOString().slice(0, 10);

type Fields = Omit<FollowUpInput, 'patient'>;

function DueAndPriority({ input, onChange }: { input: Fields; onChange: (input: Fields) => void }) {
  return (
    <Group grow wrap="wrap">
      <TextInput
        label="Due by"
        type="date"
        min={today()}
        value={input.due}
        onChange={(e) => onChange({ ...input, due: e.currentTarget.value })}
      />
      <SegmentedControl
        aria-label="Priority"
        value={input.priority}
        onChange={(value) => onChange({ ...input, priority: value as FollowUpInput['priority'] })}
        data={[
          { value: 'routine', label: 'Routine' },
          { value: 'urgent', label: 'Urgent' },
        ]}
      />
    </Group>
  );
}

/** A task for the team about this patient — "call back about the form" — due by a date. */
export function CreateFollowUp({ patient, onDone }: { patient: string; onDone: (message: string) => void }) {
  const [input, setInput] = useState<Fields>({
    title: '',
    note: '',
    due: '',
    priority: 'routine',
  });
  const create = useFollowUp();
  const submit = () =>
    create.mutate(
      { ...input, patient },
      { onSuccess: () => onDone('Follow-up set. It is on the Follow-ups worklist.') },
    );
  return (
    <Stack>
      <TextInput
        label="What needs doing"
        required
        maxLength={200}
        value={input.title}
        onChange={(e) => setInput({ ...input, title: e.currentTarget.value })}
      />
      <DueAndPriority input={input} onChange={setInput} />
      <Textarea
        label="Note"
        autosize
        minRows={2}
        maxLength={2000}
        value={input.note}
        onChange={(e) => setInput({ ...input, note: e.currentTarget.value })}
      />
      {create.error && (
        <Alert color="red" role="alert" title="Not set">
          {create.error.message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={submit} disabled={input.title.trim() === ''} loading={create.isPending}>
          Set follow-up
        </Button>
      </Group>
    </Stack>
  );
}
