import { Alert, Button, Card, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { AttachmentField, chosenAttachment } from './AttachmentField.tsx';
import { ThreadCard } from './ThreadCard.tsx';
import { threadsOf } from './threads.ts';
import { useMessages, useSend } from './use-messages.ts';

function NewMessage() {
  const send = useSend();
  const [sent, setSent] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const file = await chosenAttachment(form);
    setRefusal(file.refusal);
    if (file.refusal) return;
    const message = {
      topic: String(form.get('topic')).trim(),
      text: String(form.get('text')).trim(),
      attachment: file.attachment,
    };
    send.mutate(message, { onSuccess: () => (formElement.reset(), setSent(true)) });
  }
  return (
    <Card padding="md" component="section" aria-label="New message">
      <form onSubmit={(event) => void submit(event)}>
        <Stack gap="xs">
          <Title order={2} size="h4">
            Write to the clinic
          </Title>
          <Text size="sm" c="dimmed">
            For questions that can wait a working day. In an emergency, call 911.
          </Text>
          {sent && (
            <Alert color="green" role="status">
              Your message was sent. The clinic answers here.
            </Alert>
          )}
          {(refusal ?? send.error) && (
            <Alert color="red" role="alert">
              {refusal ?? send.error?.message}
            </Alert>
          )}
          <TextInput name="topic" label="Subject" required maxLength={120} />
          <Textarea name="text" label="Message" required autosize minRows={3} maxLength={4000} />
          <AttachmentField />
          <Button type="submit" loading={send.isPending}>
            Send
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

/** Secure messages with the clinic, threaded; what the clinic sent by SMS or email, and calls, too. */
export function MessagesPage() {
  const query = useMessages();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Messages
      </Title>
      <NewMessage />
      <Stack gap="sm" component="section" aria-label="Conversations">
        <Title order={2} size="h4">
          Conversations
        </Title>
        <QueryState query={query} isEmpty={(messages) => messages.length === 0} empty="No messages yet.">
          {(messages) => threadsOf(messages).map((thread) => <ThreadCard key={thread.id} thread={thread} />)}
        </QueryState>
      </Stack>
    </Stack>
  );
}
