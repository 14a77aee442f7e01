import { Alert, Button, Group, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useEngagementAction, type MessageInput } from './use-actions.ts';

const CHANNEL_LABELS: Record<string, string> = { sms: 'SMS', email: 'Email', whatsapp: 'WhatsApp' };
const PURPOSES = [
  { value: 'appointment-reminder', label: 'About an appointment' },
  { value: 'results-ready', label: 'Results ready' },
  { value: 'care-gap', label: 'Care due (screening, vaccination)' },
  { value: 'referral', label: 'Referral' },
  { value: 'survey', label: 'Survey' },
  { value: 'marketing', label: 'News from the clinic' },
];

/** A message on a channel the patient agreed to; the server still applies every rule of sending. */
export function SendMessage(props: {
  patient: string;
  channels: string[];
  onDone: (message: string) => void;
}) {
  const [channel, setChannel] = useState(props.channels[0] ?? '');
  const [purpose, setPurpose] = useState(PURPOSES[0]!.value);
  const [text, setText] = useState('');
  const send = useEngagementAction<MessageInput>('/api/engagement/messages');
  const submit = () =>
    send.mutate(
      { patient: props.patient, channel, purpose, text },
      { onSuccess: () => props.onDone(`Message queued on ${CHANNEL_LABELS[channel] ?? channel}.`) },
    );
  return (
    <Stack>
      <NativeSelect
        label="Channel"
        value={channel}
        onChange={(e) => setChannel(e.currentTarget.value)}
        data={props.channels.map((value) => ({ value, label: CHANNEL_LABELS[value] ?? value }))}
      />
      <NativeSelect
        label="Purpose"
        value={purpose}
        onChange={(e) => setPurpose(e.currentTarget.value)}
        data={PURPOSES}
      />
      <Textarea
        label="Message"
        autosize
        minRows={3}
        maxLength={1600}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <Text size="xs" c="dimmed">
        {text.length} / 1600
      </Text>
      {send.error && (
        <Alert color="red" role="alert" title="Not sent">
          {send.error.message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={submit} disabled={!channel || text.trim() === ''} loading={send.isPending}>
          Send
        </Button>
      </Group>
    </Stack>
  );
}
