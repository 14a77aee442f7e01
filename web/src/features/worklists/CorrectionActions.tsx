import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useAnswerCorrection, type WorklistItem } from './use-worklists.ts';

/**
 * A patient's request to correct her record is answered, not just completed: accept it once the
 * item is corrected, or refuse it with a reason she reads in her portal (right to amend). The
 * server checks that the role may change that kind of item; its refusal shows here.
 */
export function CorrectionActions({ item }: { item: WorklistItem }) {
  const answer = useAnswerCorrection();
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <Stack gap={6} align="flex-end">
      <Group gap={6} justify="flex-end">
        <Button
          size="compact-sm"
          loading={answer.isPending}
          onClick={() => answer.mutate({ item, decision: 'accept' })}
        >
          Accept (corrected)
        </Button>
        <Button size="compact-sm" variant="light" color="orange" onClick={() => setRefusing(!refusing)}>
          Refuse…
        </Button>
      </Group>
      {refusing && (
        <Stack gap={6} w={260}>
          <Textarea
            size="xs"
            label="Why the record stays as it is"
            description="The patient reads this in her portal."
            autosize
            minRows={2}
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Button
            size="compact-sm"
            color="red.9"
            disabled={!reason.trim()}
            loading={answer.isPending}
            onClick={() => answer.mutate({ item, decision: 'reject', reason: reason.trim() })}
          >
            Refuse with this reason
          </Button>
        </Stack>
      )}
      {answer.error && (
        <Text size="xs" c="red.9" role="alert">
          {answer.error.message}
        </Text>
      )}
    </Stack>
  );
}
