import { Hl7Error, Hl7ErrorCodes } from './hl7-error.ts';
import { decodeBytes, defaultLimits, parseMessage, splitLines, type ParseLimits } from './parse-message.ts';
import type { Hl7Message } from './message.ts';

export interface Hl7Batch {
  /** FHS / BHS / BTS / FTS lines, raw. */
  envelope: string[];
  messages: Hl7Message[];
}

const envelopeIds = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

/**
 * A file or batch (FHS/BHS … BTS/FTS) into its messages; a plain message is a batch of one.
 * Batch structure errors (no MSH, a BHS inside an open batch) reject the whole input.
 */
export function parseBatch(input: Buffer | string, limits: ParseLimits = defaultLimits): Hl7Batch {
  const { text } = decodeBytes(input);
  const lines = splitLines(text).filter((line) => line.text.trim() !== '');
  const envelope: string[] = [];
  const groups: string[][] = [];
  let openBatch = false;
  for (const [index, line] of lines.entries()) {
    const id = line.text.slice(0, 3);
    if (envelopeIds.has(id)) {
      if (id === 'BHS' && openBatch)
        throw new Hl7Error(
          Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR,
          `BHS at line ${index + 1} opens a batch inside an open batch`,
          { location: { segment: 'BHS' } },
        );
      if (id === 'BHS') openBatch = true;
      if (id === 'BTS') openBatch = false;
      envelope.push(line.text);
    } else if (id === 'MSH') {
      groups.push([line.text]);
    } else if (groups.length === 0) {
      throw new Hl7Error(
        Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR,
        `Segment ${id} at line ${index + 1} comes before any MSH`,
        { location: { segment: id } },
      );
    } else {
      groups[groups.length - 1]!.push(line.text);
    }
  }
  if (groups.length === 0)
    throw new Hl7Error(Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR, 'No MSH segment: the input holds no message', {
      location: {
        segment: 'MSH',
      },
    });
  return { envelope, messages: groups.map((group) => parseMessage(`${group.join('\r')}\r`, limits)) };
}

/**
 * The messages to send or process from one file: each message of a batch, or — when the file
 * cannot be split — the file as it is, so the receiver can reject it with its own reason.
 */
export function messagesInFile(bytes: Buffer): Buffer[] {
  try {
    return parseBatch(bytes).messages.map((message) =>
      Buffer.from(`${message.lines.map((line) => line.text).join('\r')}\r`, message.charset),
    );
  } catch (error) {
    if (error instanceof Hl7Error) return [bytes];
    throw error;
  }
}
