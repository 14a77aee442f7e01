/**
 * MLLP framing (HL7 v2 Transport Specification, MLLP release 2): <VT> payload <FS><CR>.
 * The decoder is pure and incremental: feed it TCP chunks as they arrive (a frame may span
 * chunks; a chunk may hold several frames) and it yields complete payloads. It never buffers
 * more than `maxFrameBytes`: an oversized frame is reported and skipped up to its end.
 */
export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

export type FrameEvent =
  | { kind: 'frame'; payload: Buffer }
  /** `head`: the frame's first bytes (at most `HEAD_BYTES`), kept so the refusal can be inspected. */
  | { kind: 'oversized'; bytes: number; head: Buffer }
  | { kind: 'garbage'; bytes: number };

/** How much of an oversized frame is kept: enough for its MSH and first segments. */
export const HEAD_BYTES = 64 * 1024;

export function encodeFrame(payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from([VT]), body, Buffer.from([FS, CR])]);
}

export interface MllpDecoder {
  push(chunk: Buffer): FrameEvent[];
  /** Bytes of an unfinished frame held now (for idle-timeout decisions). */
  pending(): number;
  /** Whether a frame has started (<VT> seen) and not yet ended: the transport's frame deadline runs. */
  inFrame(): boolean;
}

export function createMllpDecoder(maxFrameBytes: number): MllpDecoder {
  let parts: Buffer[] = [];
  let size = 0;
  let inFrame = false;
  let skipping = false;
  let skipped = 0;
  let head: Buffer = Buffer.alloc(0);
  return {
    pending: () => size,
    inFrame: () => inFrame,
    push(chunk) {
      const events: FrameEvent[] = [];
      let index = 0;
      while (index < chunk.length) {
        if (!inFrame) {
          const start = chunk.indexOf(VT, index);
          const junk = (start < 0 ? chunk.length : start) - index;
          if (junk > 0 && chunk.subarray(index, index + junk).some((byte) => byte !== CR && byte !== 0x0a))
            events.push({ kind: 'garbage', bytes: junk });
          if (start < 0) break;
          inFrame = true;
          index = start + 1;
          continue;
        }
        const end = chunk.indexOf(FS, index);
        const stop = end < 0 ? chunk.length : end;
        if (!skipping && size + (stop - index) > maxFrameBytes) {
          skipping = true;
          skipped = size;
          head = firstBytes([...parts, chunk.subarray(index, stop)], HEAD_BYTES);
          parts = [];
          size = 0;
        }
        if (skipping) skipped += stop - index;
        else {
          parts.push(chunk.subarray(index, stop));
          size += stop - index;
        }
        if (end < 0) break;
        events.push(
          skipping
            ? { kind: 'oversized', bytes: skipped, head }
            : { kind: 'frame', payload: Buffer.concat(parts) },
        );
        parts = [];
        size = 0;
        inFrame = false;
        skipping = false;
        // The <CR> after <FS> is optional in practice; skip it when present.
        index = chunk[end + 1] === CR ? end + 2 : end + 1;
      }
      return events;
    },
  };
}

/** The first `limit` bytes of a list of buffers, copying no more than that. */
function firstBytes(buffers: Buffer[], limit: number): Buffer {
  const taken: Buffer[] = [];
  let total = 0;
  for (const buffer of buffers) {
    if (total >= limit) break;
    const slice = buffer.subarray(0, limit - total);
    taken.push(slice);
    total += slice.length;
  }
  return Buffer.concat(taken);
}
