/**
 * A precise reason a message was rejected, in HL7's own terms: an error code from HL7 table
 * 0357 and the location (segment, its sequence, field, component) that the ACK's ERR segment
 * reports back to the sender.
 */
export const Hl7ErrorCodes = {
  SEGMENT_SEQUENCE_ERROR: '100',
  REQUIRED_FIELD_MISSING: '101',
  DATA_TYPE_ERROR: '102',
  TABLE_VALUE_NOT_FOUND: '103',
  UNSUPPORTED_MESSAGE_TYPE: '200',
  UNSUPPORTED_EVENT_CODE: '201',
  UNSUPPORTED_PROCESSING_ID: '202',
  UNSUPPORTED_VERSION_ID: '203',
  DUPLICATE_KEY: '205',
  APPLICATION_INTERNAL_ERROR: '207',
} as const;

export type Hl7ErrorCode = (typeof Hl7ErrorCodes)[keyof typeof Hl7ErrorCodes];

export interface Hl7Location {
  segment: string;
  /** 1-based position among segments with the same id. */
  sequence?: number;
  field?: number;
  component?: number;
}

/** Where an `Hl7Error` happened and how the ACK should grade it. */
export interface Hl7ErrorDetails {
  /** The segment, field and component at fault (ERR-2); absent when the message as a whole is. */
  location?: Hl7Location;
  /** AR (reject: the message itself is unacceptable, the default) or AE (error in processing it). */
  severity?: 'reject' | 'error';
}

export class Hl7Error extends Error {
  readonly hl7Code: Hl7ErrorCode;
  readonly location?: Hl7Location;
  /** AR (reject: the message itself is unacceptable) or AE (error in processing it). */
  readonly severity: 'reject' | 'error';

  constructor(hl7Code: Hl7ErrorCode, message: string, details: Hl7ErrorDetails = {}) {
    super(message);
    this.name = 'Hl7Error';
    this.hl7Code = hl7Code;
    this.location = details.location;
    this.severity = details.severity ?? 'reject';
  }
}

export function describeLocation(location: Hl7Location | undefined): string {
  if (!location) return '';
  const parts = [
    location.segment,
    location.field !== undefined ? `-${location.field}` : '',
    location.component !== undefined ? `.${location.component}` : '',
  ];
  return parts.join('');
}
