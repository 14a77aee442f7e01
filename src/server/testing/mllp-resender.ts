import { connect, type Socket } from 'node:net';
import { createMllpDecoder, encodeFrame } from '../../hl7v2/index.ts';

/** How a sender behaves when an ACK does not come. */
export interface ResendOptions {
  /** No ACK within this long: the connection is dropped and the message resent. */
  ackTimeoutMs: number;
  /** Pause before reconnecting after a failure. */
  retryPauseMs: number;
  /** Give up (throw) when not everything is acknowledged by then (`performance.now()` ms). */
  deadline: number;
  /** Called with each ACK and how long it took (ms). */
  onAck?: (index: number, ack: string, ms: number) => void;
  /** Checked before each new message: when true, the sender stops (after its last ACK). */
  stop?: () => boolean;
}

export interface ResendReport {
  /** Messages acknowledged: `messages[0 .. acknowledged)`. */
  acknowledged: number;
  /** Times the sender had to reconnect and resend. */
  reconnects: number;
}

/**
 * An HL7 v2 original-mode sender, as interface engines behave: one message at a time, the
 * next only after the ACK; when the ACK does not come (the connection closes, or the ACK
 * timeout passes) it reconnects and resends from the first unacknowledged message.
 */
export async function sendWithResend(
  port: number,
  messages: string[],
  options: ResendOptions,
): Promise<ResendReport> {
  let from = 0;
  let reconnects = 0;
  while (from < messages.length && !options.stop?.()) {
    if (performance.now() > options.deadline) throw new Error(`resend stalled at message ${from}`);
    const { next, failed } = await sendOnOneConnection(port, { messages, from, options });
    if (failed) {
      reconnects++;
      await new Promise((resolve) => setTimeout(resolve, options.retryPauseMs));
    }
    from = next;
  }
  return { acknowledged: from, reconnects };
}

interface Stream {
  messages: string[];
  from: number;
  options: ResendOptions;
}

/** Sends from `from` until all are acknowledged, told to stop, or an ACK does not come. */
async function sendOnOneConnection(
  port: number,
  { messages, from, options }: Stream,
): Promise<{ next: number; failed: boolean }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // 'close' follows
  const acks = ackReader(socket);
  let next = from;
  try {
    while (next < messages.length && !options.stop?.()) {
      const started = performance.now();
      socket.write(encodeFrame(messages[next]!));
      const ack = await acks.next(options.ackTimeoutMs);
      if (ack === undefined) return { next, failed: true };
      options.onAck?.(next, ack, performance.now() - started);
      next++;
    }
    return { next, failed: false };
  } finally {
    socket.destroy();
  }
}

/** The ACKs arriving on a socket, one at a time; `undefined` when the socket closes or time runs out. */
function ackReader(socket: Socket): { next(timeoutMs: number): Promise<string | undefined> } {
  const decoder = createMllpDecoder(1 << 20);
  const arrived: string[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk))
      if (event.kind === 'frame') arrived.push(event.payload.toString());
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  return {
    async next(timeoutMs) {
      const until = performance.now() + timeoutMs;
      while (arrived.length === 0 && !closed && performance.now() < until) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, until - performance.now());
          wake = () => (clearTimeout(timer), resolve());
        });
      }
      return arrived.shift();
    },
  };
}
