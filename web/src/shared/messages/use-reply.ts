import { useMutation, useQueryClient } from '@tanstack/react-query';
import { post } from '../api/http.ts';
import type { ReplyChannel } from './message-channel.ts';

export interface ReplyInput {
  patient: string;
  channel: ReplyChannel;
  purpose: string;
  text: string;
}

/**
 * A staff answer (`POST /api/engagement/messages`, the same route and consent checks wherever it
 * is sent from): the outbox and the lists refresh after.
 */
export function useReply() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ReplyInput) => post<{ request: string }>('/api/engagement/messages', input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['outbox'] });
      void client.invalidateQueries({ queryKey: ['worklist'] });
      void client.invalidateQueries({ queryKey: ['worklists'] });
    },
  });
}
