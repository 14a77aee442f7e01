import type { Channel } from '../model/outreach-codes.ts';

/** One message to one address, as an adapter sends it. */
export interface OutboundMessage {
  channel: Channel;
  /** E.164 number, or e-mail address. */
  to: string;
  /** E-mail subject (other channels ignore it). */
  subject?: string;
  text: string;
  /**
   * Our idempotency key (`{request}/{channel}`): a retry of a send the provider may have
   * accepted carries the same key, so the provider (or the receiving mail system, through the
   * Message-ID) can recognise the repeat.
   */
  idempotencyKey: string;
  /**
   * The attempt's Communication id, once opened: a provider that reports status to a URL of
   * ours is told it (Twilio's `StatusCallback`), so the report settles the attempt even when
   * the send's own answer was lost.
   */
  attemptId?: string;
  /** WhatsApp outside the 24-hour service window: the approved template to use instead of text. */
  template?: { name: string; language: string; parameters: string[] };
}

/** What a send ended in. Failures are values, so the engine decides retry, fail-over or dead-letter. */
export type SendResult =
  | { ok: true; providerId: string; state: 'queued' | 'sent' | 'delivered' }
  | {
      ok: false;
      /** `permanent`: this address will not work (4xx); `transient`: try again (5xx, 429, timeout). */
      kind: 'permanent' | 'transient';
      reason: string;
      /** From the provider's Retry-After, when it sent one. */
      retryAfterSeconds?: number;
      /**
       * `unknown`: the request may have reached the provider and no answer came (a timeout, a
       * connection broken mid-call), so the message may have gone. Absent: it did not go.
       */
      outcome?: 'unknown';
    };

/** What the provider says about a message it may have been sent before: its id, or none. */
export type FoundMessage =
  { found: true; providerId: string; state: 'queued' | 'sent' | 'delivered' } | { found: false };

/** A channel adapter: one interface for SMTP, Twilio-compatible, WhatsApp Cloud-compatible and the outbox. */
export interface ChannelAdapter {
  /** `smtp`, `twilio`, `whatsapp-cloud`, `outbox`: shown on the attempt. */
  provider: string;
  send(message: OutboundMessage): Promise<SendResult>;
  /**
   * For a provider that does not deduplicate on our key: looks up a message sent since `since`
   * to this address with this content, so a send whose answer never came is reconciled instead
   * of sent again. Throws when the provider cannot be asked (the engine tries again later).
   */
  find?(message: OutboundMessage, since: Date): Promise<FoundMessage>;
  /**
   * The provider takes a repeat of our key as a new message and cannot be asked (no `find`): a
   * send whose outcome is unknown is never sent again. The attempt stays open for the provider's
   * status webhook to settle (the WhatsApp Cloud API echoes our key as `biz_opaque_callback_data`).
   */
  repeatIsNewMessage?: boolean;
  close?(): Promise<void>;
}

export type ChannelAdapters = Record<Channel, ChannelAdapter>;
