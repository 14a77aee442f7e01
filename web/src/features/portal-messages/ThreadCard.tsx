import { Badge, Box, Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { AttachmentLinks } from './AttachmentField.tsx';
import { attachmentsOf } from './attachment.ts';
import { channelName, fromPatient, timeOf, type Thread } from './threads.ts';
import { useSend } from './use-messages.ts';

function Reply({ thread }: { thread: Thread }) {
  const send = useSend();
  const [text, setText] = useState('');
  const last = thread.messages.at(-1)!;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send.mutate({ text, answers: last.id }, { onSuccess: () => setText('') });
      }}
    >
      <Stack gap="xs">
        <Textarea
          label="Reply"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={2}
          required
        />
        {send.error && (
          <Text c="red.8" size="sm" role="alert">
            {send.error.message}
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" size="sm" loading={send.isPending} disabled={!text.trim()}>
            Send reply
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One conversation: her messages on the right, the clinic's on the left, each with its channel. */
export function ThreadCard({ thread }: { thread: Thread }) {
  return (
    <Card padding="md" component="article" aria-label={thread.topic}>
      <Stack gap="sm">
        <Text fw={650}>{thread.topic}</Text>
        {thread.messages.map((message) => {
          const mine = fromPatient(message);
          return (
            <Box key={message.id} className={mine ? 'portal-bubble portal-bubble-mine' : 'portal-bubble'}>
              <Group gap={6} mb={2}>
                <Badge size="xs" variant="light" color={mine ? 'teal' : 'gray'}>
                  {channelName(message)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {mine ? 'You' : 'The clinic'} · {formatDateTime(timeOf(message))}
                </Text>
              </Group>
              <Text size="sm">
                {message.payload?.[0]?.contentString ?? message.statusReason?.text ?? '(no text)'}
              </Text>
              <AttachmentLinks attachments={attachmentsOf(message.payload)} />
              {message.status === 'not-done' && (
                <Text size="xs" c="dimmed">
                  Not delivered{message.statusReason?.text ? `: ${message.statusReason.text}` : ''}
                </Text>
              )}
            </Box>
          );
        })}
        {thread.portal && <Reply thread={thread} />}
      </Stack>
    </Card>
  );
}
