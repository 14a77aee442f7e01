import type { Delimiters } from './delimiters.ts';
import { unescapeHl7 } from './escape.ts';

/** One segment: its id and raw field texts, kept verbatim (escaped) for exact serialization. */
export interface Segment {
  id: string;
  /** fields[0] is the id. For MSH, fields[1] is MSH-2 (MSH-1 is the separator itself). */
  fields: string[];
}

/** A line as received, so a message serializes back to the same bytes. */
export interface RawLine {
  text: string;
  terminator: string;
}

export interface Hl7Message {
  delimiters: Delimiters;
  segments: Segment[];
  lines: RawLine[];
  bom: boolean;
  /** How the bytes were decoded: UTF-8 when valid, else ISO-8859-1 (one char per byte). */
  charset: 'utf8' | 'latin1';
}

/** Raw (escaped) text of field `n` (HL7 numbering: MSH-3, PID-5 …), or '' when absent. */
export function rawField(segment: Segment, n: number, delimiters: Delimiters): string {
  if (segment.id === 'MSH' || segment.id === 'FHS' || segment.id === 'BHS') {
    if (n === 1) return delimiters.field;
    return segment.fields[n - 1] ?? '';
  }
  return segment.fields[n] ?? '';
}

/** The repetitions of field `n`, raw. */
export function repetitions(segment: Segment, n: number, delimiters: Delimiters): string[] {
  const raw = rawField(segment, n, delimiters);
  if (raw === '') return [];
  if (segment.id === 'MSH' && n === 2) return [raw];
  return raw.split(delimiters.repetition);
}

/** Where a value sits in a segment (all 1-based; component, subcomponent and repetition default to 1). */
export interface FieldPosition {
  field: number;
  component?: number;
  subcomponent?: number;
  repetition?: number;
}

/**
 * The unescaped value at a field (a number: its first component) or at a `FieldPosition`.
 * Empty and explicit-null (`""`) values are `undefined`.
 */
export function valueAt(
  segment: Segment,
  delimiters: Delimiters,
  at: number | FieldPosition,
): string | undefined {
  const {
    field: n,
    component: c = 1,
    subcomponent: s = 1,
    repetition: rep = 1,
  } = typeof at === 'number' ? { field: at } : at;
  const repetition = repetitions(segment, n, delimiters)[rep - 1];
  if (repetition === undefined) return undefined;
  const component = repetition.split(delimiters.component)[c - 1] ?? '';
  const sub = component.split(delimiters.subcomponent)[s - 1] ?? '';
  if (sub.trim() === '' || sub === '""') return undefined;
  return unescapeHl7(sub, delimiters);
}

/** Every component of one repetition, unescaped (empty → undefined). */
export function componentsOf(raw: string, delimiters: Delimiters): (string | undefined)[] {
  return raw.split(delimiters.component).map((component) => {
    const first = component.split(delimiters.subcomponent)[0] ?? '';
    return first.trim() === '' || first === '""' ? undefined : unescapeHl7(first, delimiters);
  });
}

export function segmentsOf(message: Hl7Message, id: string): Segment[] {
  return message.segments.filter((segment) => segment.id === id);
}

export function firstSegment(message: Hl7Message, id: string): Segment | undefined {
  return message.segments.find((segment) => segment.id === id);
}

/**
 * A terser-style path: `PID-3[2].1.2` = PID, field 3, repetition 2, component 1,
 * subcomponent 2; `OBX(2)-5` = the second OBX. Missing parts default to the first.
 */
export function getValue(message: Hl7Message, path: string): string | undefined {
  const match = /^([A-Z][A-Z0-9]{2})(?:\((\d+)\))?-(\d+)(?:\[(\d+)\])?(?:\.(\d+))?(?:\.(\d+))?$/.exec(path);
  if (!match) throw new Error(`Invalid HL7 path "${path}"`);
  const [, id, seq, field, rep, component, sub] = match;
  const segment = segmentsOf(message, id!)[Number(seq ?? 1) - 1];
  if (!segment) return undefined;
  return valueAt(segment, message.delimiters, {
    field: Number(field),
    component: Number(component ?? 1),
    subcomponent: Number(sub ?? 1),
    repetition: Number(rep ?? 1),
  });
}

/** The message's exact bytes (BOM, line endings and all), in the charset it was decoded with. */
export function serializeMessage(message: Hl7Message): Buffer {
  const text =
    (message.bom ? '\uFEFF' : '') + message.lines.map((line) => line.text + line.terminator).join('');
  return Buffer.from(text, message.charset);
}

/** Builds segment text from fields (for messages we create, such as ACKs). */
export function segmentText(segment: Segment, delimiters: Delimiters): string {
  if (segment.id === 'MSH') return `MSH${delimiters.field}${segment.fields.slice(1).join(delimiters.field)}`;
  return segment.fields.join(delimiters.field);
}
