import { keepOutboxMessage, type SqlExecutor } from '../../store/index.ts';
import type { ChannelAdapter } from './channel.ts';

/**
 * The local sink for development: keeps what would have been sent (`/api/engagement/outbox`
 * shows it) and reports it delivered, so the demo clinic's reminders go out with no provider.
 */
export function outboxChannel(db: SqlExecutor): ChannelAdapter {
  return {
    provider: 'outbox',
    async send(message) {
      const id = await keepOutboxMessage(db, {
        idempotencyKey: message.idempotencyKey,
        channel: message.channel,
        recipient: message.to,
        subject: message.subject,
        body: message.text,
      });
      return { ok: true, providerId: `outbox-${id}`, state: 'delivered' };
    },
  };
}
