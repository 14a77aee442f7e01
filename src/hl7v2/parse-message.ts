import { readDelimiters, type Delimiters } from './delimiters.ts';
import { Hl7Error, Hl7ErrorCodes } from './hl7-error.ts';
import type { Hl7Message, RawLine, Segment } from './message.ts';

/** Bounds that keep a hostile or broken message from costing unbounded time or memory. */
export interface ParseLimits {
  maxMessageBytes: number;
  maxSegments: number;
  maxFieldLength: number;
}

export const defaultLimits: ParseLimits = {
  maxMessageBytes: 16 * 1024 * 1024,
  maxSegments: 20_000,
  // Large enough for an embedded PDF report (ED in OBX-5), small enough to refuse 10 MB fields.
  maxFieldLength: 4 * 1024 * 1024,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const segmentId = /^[A-Z][A-Z0-9]{2}$/;

/** Decodes bytes as UTF-8 when valid, else ISO-8859-1 — never losing a byte either way. */
export function decodeBytes(input: Buffer | string): {
  text: string;
  charset: Hl7Message['charset'];
  bom: boolean;
} {
  if (typeof input === 'string') {
    const bom = input.startsWith('\uFEFF');
    return { text: bom ? input.slice(1) : input, charset: 'utf8', bom };
  }
  const bom = input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
  const body = bom ? input.subarray(3) : input;
  try {
    return { text: utf8.decode(body), charset: 'utf8', bom };
  } catch {
    return { text: body.toString('latin1'), charset: 'latin1', bom };
  }
}

/** Splits on CR, LF or CRLF, remembering each line's own terminator. */
export function splitLines(text: string): RawLine[] {
  const lines: RawLine[] = [];
  const pattern = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    lines.push({ text: text.slice(start, match.index), terminator: match[0] });
    start = match.index + match[0].length;
  }
  if (start < text.length) lines.push({ text: text.slice(start), terminator: '' });
  return lines;
}

/**
 * Parses one HL7 v2 message (versions 2.1–2.8). Rejects with a precise `Hl7Error` — code from
 * table 0357 and location — anything that is not a well-formed message: missing MSH, bad
 * delimiters, garbage segments, and messages past the limits.
 */
export function parseMessage(input: Buffer | string, limits: ParseLimits = defaultLimits): Hl7Message {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > limits.maxMessageBytes) {
    throw new Hl7Error(
      Hl7ErrorCodes.APPLICATION_INTERNAL_ERROR,
      `Message of ${size} bytes exceeds the limit of ${limits.maxMessageBytes}`,
    );
  }
  const { text, charset, bom } = decodeBytes(input);
  const lines = splitLines(text);
  const contentLines = lines.filter((line) => line.text.trim() !== '');
  if (contentLines.length > limits.maxSegments) {
    throw new Hl7Error(
      Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR,
      `Message has ${contentLines.length} segments; the limit is ${limits.maxSegments}`,
    );
  }
  const first = contentLines[0]?.text ?? '';
  if (!first.startsWith('MSH')) {
    throw new Hl7Error(
      Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR,
      'The message does not start with an MSH segment',
      { location: { segment: 'MSH', sequence: 1 } },
    );
  }
  const delimiters = readDelimiters(first);
  const segments = contentLines.map((line, index) => toSegment(line.text, { delimiters, limits, index }));
  return { delimiters, segments, lines, bom, charset };
}

/** What a segment line is read with: the message's delimiters and limits, and its place in the message. */
interface SegmentContext {
  delimiters: Delimiters;
  limits: ParseLimits;
  /** 0-based index among the message's non-blank lines. */
  index: number;
}

function toSegment(line: string, { delimiters, limits, index }: SegmentContext): Segment {
  const fields = line.split(delimiters.field);
  const id = fields[0] ?? '';
  if (!segmentId.test(id)) {
    const shown = JSON.stringify(line.slice(0, 20));
    throw new Hl7Error(
      Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR,
      `Segment ${index + 1} has no valid segment id (starts ${shown})`,
      {
        location: { segment: id.slice(0, 3) || '???', sequence: index + 1 },
      },
    );
  }
  checkFieldLengths(id, fields, limits);
  return { id, fields };
}

function checkFieldLengths(id: string, fields: string[], limits: ParseLimits): void {
  for (const [position, field] of fields.entries()) {
    if (field.length > limits.maxFieldLength) {
      const fieldNumber = id === 'MSH' ? position + 1 : position;
      throw new Hl7Error(
        Hl7ErrorCodes.DATA_TYPE_ERROR,
        `${id}-${fieldNumber} is ${field.length} characters long; the limit is ${limits.maxFieldLength}`,
        { location: { segment: id, field: fieldNumber } },
      );
    }
  }
}
