// Public face of the HL7 v2 module: pure message model, ACKs, MLLP framing. No I/O here.
export { parseMessage, defaultLimits, type ParseLimits } from './parse-message.ts';
export { parseBatch, messagesInFile, type Hl7Batch } from './parse-batch.ts';
export { readHeader, type MessageHeader } from './header.ts';
export {
  getValue,
  valueAt,
  repetitions,
  componentsOf,
  segmentsOf,
  firstSegment,
  serializeMessage,
  rawField,
  type FieldPosition,
  type Hl7Message,
  type Segment,
} from './message.ts';
export {
  Hl7Error,
  Hl7ErrorCodes,
  describeLocation,
  type Hl7ErrorCode,
  type Hl7ErrorDetails,
  type Hl7Location,
} from './hl7-error.ts';
export { buildAck, hl7Timestamp, type AckCode, type AckError } from './build-ack.ts';
export { planAcks, type AckOutcome, type AckPlan } from './ack-mode.ts';
export { hl7ToFhirDateTime } from './hl7-datetime.ts';
export { escapeHl7, unescapeHl7 } from './escape.ts';
export {
  createMllpDecoder,
  encodeFrame,
  HEAD_BYTES,
  type FrameEvent,
  type MllpDecoder,
} from './mllp-framing.ts';
export type { Delimiters } from './delimiters.ts';
export { ADMINISTRATIVE_SEX, CODING_SYSTEMS, AUTHORITY_SYSTEM_PREFIX, firstCodeOf } from './code-tables.ts';
