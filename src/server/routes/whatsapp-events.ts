import type { DeliveryReport, DeliveryState, InboundMessage } from '../../engagement/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { parseUntrustedJson } from '../../kernel/safe-json.ts';

interface CloudValue {
  statuses?: {
    id?: string;
    status?: string;
    errors?: { title?: string; code?: number }[];
    /** Our attempt key, as sent (Cloud API: echoed on the message's status webhooks). */
    biz_opaque_callback_data?: string;
  }[];
  messages?: {
    id?: string;
    from?: string;
    type?: string;
    text?: { body?: string };
    button?: { text?: string };
    context?: { id?: string };
  }[];
}

const STATES: Record<string, DeliveryState> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

/** A Cloud API webhook body (`entry[].changes[].value`) as delivery reports and inbound messages. */
export function whatsappEvents(rawBody: Buffer): { statuses: DeliveryReport[]; messages: InboundMessage[] } {
  let body: { entry?: { changes?: { value?: CloudValue }[] }[] };
  try {
    body = parseUntrustedJson(rawBody.toString('utf8'), { maxDepth: 32 }) as typeof body;
  } catch {
    throw new ThroughlineError('INVALID_JSON', 'The webhook body is not JSON', { expression: 'body' });
  }
  const values = (body?.entry ?? [])
    .flatMap((entry) => entry.changes ?? [])
    .map((change) => change.value ?? {});
  const statuses = values.flatMap((value) => value.statuses ?? []).flatMap(deliveryReportOf);
  const messages = values
    .flatMap((value) => value.messages ?? [])
    .flatMap((message): InboundMessage[] => {
      const text = message.text?.body ?? message.button?.text;
      if (!message.id || !message.from || text === undefined) return [];
      return [
        {
          channel: 'whatsapp',
          from: `+${message.from.replace(/^\+/, '')}`,
          text,
          providerId: message.id,
          inReplyTo: message.context?.id,
        },
      ];
    });
  return { statuses, messages };
}

/** A status webhook entry as a delivery report, naming our attempt when the Cloud API echoed its key. */
function deliveryReportOf(status: NonNullable<CloudValue['statuses']>[number]): DeliveryReport[] {
  if (!status.id || !status.status || !STATES[status.status]) return [];
  return [
    {
      providerId: status.id,
      state: STATES[status.status]!,
      reason: status.errors?.[0]?.title,
      ...(status.biz_opaque_callback_data ? { attempt: { key: status.biz_opaque_callback_data } } : {}),
    },
  ];
}
