import { Button, Table, Text } from '@mantine/core';
import { channelOf, type ReplyChannel } from '../../shared/messages/message-channel.ts';
import { ReplyForm } from '../../shared/messages/ReplyForm.tsx';
import type { WorklistItem } from './use-worklists.ts';

/** What a row needs to answer its patient's message, when the caller may send one. */
export interface RowReply {
  /** The caller's role is granted `engagement-send` (the server checks again, and consent). */
  allowed: boolean;
  /** What became of a reply to this patient (from any of her rows), once one was queued. */
  done?: string;
  onDone: (confirmation: string) => void;
}

/** The channel a row's message is answered on (SMS, e-mail, WhatsApp; a call is called back). */
export function replyTarget(
  item: WorklistItem,
): { patient: string; channel: ReplyChannel; label: string } | undefined {
  const channel = channelOf(item.message);
  if (!channel?.channel || !item.patient) return undefined;
  return { patient: item.patient, channel: channel.channel, label: channel.label };
}

/** Opens and closes the reply form under the row; named after the patient, since a page has many. */
export function ReplyButton(props: { name: string; open: boolean; onToggle: () => void }) {
  return (
    <Button
      size="compact-sm"
      variant={props.open ? 'light' : 'filled'}
      aria-expanded={props.open}
      aria-label={`Reply to ${props.name}`}
      onClick={props.onToggle}
    >
      Reply
    </Button>
  );
}

/**
 * Under the row, across it: the engagement page's reply form (same route, same consent checks
 * at sending), then what became of the reply. The item leaves the list once the reply is sent.
 */
export function ReplyRow(props: { item: WorklistItem; reply: RowReply; columns: number }) {
  const target = replyTarget(props.item);
  if (!target) return null;
  return (
    <Table.Tr data-reply-for={props.item.id}>
      <Table.Td colSpan={props.columns}>
        {props.reply.done ? (
          <Text size="sm" c="teal.9" role="status">
            {props.reply.done}
          </Text>
        ) : (
          <ReplyForm
            patient={target.patient}
            channel={target.channel}
            channelLabel={target.label}
            onDone={props.reply.onDone}
          />
        )}
      </Table.Td>
    </Table.Tr>
  );
}
