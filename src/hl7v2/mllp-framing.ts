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
  const state: DecoderState = {
    maxFrameBytes,
    parts: [],
    size: 0,
    inFrame: false,
    skipping: false,
    skipped: 0,
    head: Buffer.alloc(0),
  };
  return {
    pending: () => state.size,
    inFrame: () => state.inFrame,
    push(chunk) {
      const reading: ChunkReading = { chunk, events: [] };
      let index = 0;
      while (index < chunk.length) {
        index = state.inFrame ? readFrameBody(state, reading, index) : findFrameStart(state, reading, index);
        if (index < 0) break;
      }
      return reading.events;
    },
  };
}

/** What the decoder remembers between chunks. */
interface DecoderState {
  maxFrameBytes: number;
  /** The current frame's bytes so far, and their total. */
  parts: Buffer[];
  size: number;
  inFrame: boolean;
  /** The frame passed `maxFrameBytes`: its bytes are counted in `skipped`, not kept; `head` keeps its start. */
  skipping: boolean;
  skipped: number;
  head: Buffer;
}

/** The chunk being read and the events found in it so far. */
interface ChunkReading {
  chunk: Buffer;
  events: FrameEvent[];
}

/** Outside a frame: reports non-blank bytes before the next <VT> as garbage; the index after <VT>, or -1. */
function findFrameStart(state: DecoderState, { chunk, events }: ChunkReading, index: number): number {
  const start = chunk.indexOf(VT, index);
  const junk = (start < 0 ? chunk.length : start) - index;
  if (junk > 0 && chunk.subarray(index, index + junk).some((byte) => byte !== CR && byte !== 0x0a))
    events.push({ kind: 'garbage', bytes: junk });
  if (start < 0) return -1;
  state.inFrame = true;
  return start + 1;
}

/** Inside a frame: keeps bytes up to <FS>, then emits the frame; the index after it, or -1 at chunk end. */
function readFrameBody(state: DecoderState, { chunk, events }: ChunkReading, index: number): number {
  const end = chunk.indexOf(FS, index);
  keepFrameBytes(state, chunk.subarray(index, end < 0 ? chunk.length : end));
  if (end < 0) return -1;
  events.push(
    state.skipping
      ? { kind: 'oversized', bytes: state.skipped, head: state.head }
      : { kind: 'frame', payload: Buffer.concat(state.parts) },
  );
  state.parts = [];
  state.size = 0;
  state.inFrame = false;
  state.skipping = false;
  // The <CR> after <FS> is optional in practice; skip it when present.
  return chunk[end + 1] === CR ? end + 2 : end + 1;
}

/** Adds bytes to the frame, or only counts them once the frame is past the size limit. */
function keepFrameBytes(state: DecoderState, bytes: Buffer): void {
  if (!state.skipping && state.size + bytes.length > state.maxFrameBytes) {
    state.skipping = true;
    state.skipped = state.size;
    state.head = firstBytes([...state.parts, bytes], HEAD_BYTES);
    state.parts = [];
    state.size = 0;
  }
  if (state.skipping) state.skipped += bytes.length;
  else {
    state.parts.push(bytes);
    state.size += bytes.length;
  }
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
