import { Alert, Button, Group, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { ReplyChannel } from './message-channel.ts';
import { useReply } from './use-reply.ts';

// The purposes a staff reply may carry: the server checks consent for the channel and purpose
// at the moment of sending, as for any message (src/engagement/README.md).
const PURPOSES = [
  { value: 'appointment-reminder', label: 'About an appointment' },
  { value: 'results-ready', label: 'About results' },
  { value: 'care-gap', label: 'Care due (screening, vaccination)' },
  { value: 'referral', label: 'About a referral' },
];

/**
 * An answer on the channel the patient wrote on, from the engagement page or a worklist row. Once
 * the engine has sent it, the journey rule sees a message sent back and closes the item; until
 * then it stays on the list.
 */
export function ReplyForm(props: {
  patient: string;
  channel: ReplyChannel;
  channelLabel: string;
  onDone: (message: string) => void;
}) {
  const [purpose, setPurpose] = useState(PURPOSES[0]!.value);
  const [text, setText] = useState('');
  const reply = useReply();
  const submit = () =>
    reply.mutate(
      { patient: props.patient, channel: props.channel, purpose, text },
      {
        onSuccess: () =>
          props.onDone(`Reply queued on ${props.channelLabel}. The item closes once it is sent.`),
      },
    );
  return (
    <Stack gap="xs" mt="xs">
      <Textarea
        label={`Reply by ${props.channelLabel}`}
        autosize
        minRows={2}
        maxLength={1600}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <Group align="flex-end" justify="space-between">
        <NativeSelect
          label="About"
          size="xs"
          value={purpose}
          onChange={(e) => setPurpose(e.currentTarget.value)}
          data={PURPOSES}
        />
        <Text size="xs" c="dimmed">
          {text.length} / 1600
        </Text>
        <Button size="compact-sm" onClick={submit} disabled={text.trim() === ''} loading={reply.isPending}>
          Send reply
        </Button>
      </Group>
      {reply.error && (
        <Alert color="red" role="alert" title="Not sent">
          {reply.error.message}
        </Alert>
      )}
    </Stack>
  );
}
