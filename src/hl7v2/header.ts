import { Hl7Error, Hl7ErrorCodes } from './hl7-error.ts';
import { firstSegment, valueAt, type Hl7Message } from './message.ts';

/** The MSH fields every receiver needs, read once. */
export interface MessageHeader {
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  /** MSH-7, raw HL7 DTM. */
  dateTime?: string;
  /** MSH-9.1 / 9.2 / 9.3, e.g. ADT, A01, ADT_A01. */
  messageType: string;
  triggerEvent?: string;
  messageStructure?: string;
  /** MSH-10: the sender's message control id (MSA-2 of our ACK). */
  controlId: string;
  /** MSH-11: P production, T training, D debugging. */
  processingId?: string;
  /** MSH-12.1, e.g. 2.5.1. */
  version: string;
  /** MSH-15 / MSH-16: enhanced acknowledgment mode (AL, NE, ER, SU). */
  acceptAckType?: string;
  applicationAckType?: string;
}

const supportedVersion = /^2\.[1-8](\.\d+)?$/;

/** Reads and checks the header: MSH-9, MSH-10 and MSH-12 are required, the version must be 2.1–2.8. */
export function readHeader(message: Hl7Message): MessageHeader {
  const msh = firstSegment(message, 'MSH');
  if (!msh)
    throw new Hl7Error(Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR, 'Missing MSH segment', { segment: 'MSH' });
  const d = message.delimiters;
  const messageType = valueAt(msh, d, 9, 1);
  if (!messageType)
    throw new Hl7Error(Hl7ErrorCodes.REQUIRED_FIELD_MISSING, 'MSH-9 (message type) is required', {
      segment: 'MSH',
      sequence: 1,
      field: 9,
    });
  const controlId = valueAt(msh, d, 10);
  if (!controlId)
    throw new Hl7Error(Hl7ErrorCodes.REQUIRED_FIELD_MISSING, 'MSH-10 (message control id) is required', {
      segment: 'MSH',
      sequence: 1,
      field: 10,
    });
  const version = valueAt(msh, d, 12);
  if (!version)
    throw new Hl7Error(Hl7ErrorCodes.REQUIRED_FIELD_MISSING, 'MSH-12 (version id) is required', {
      segment: 'MSH',
      sequence: 1,
      field: 12,
    });
  if (!supportedVersion.test(version)) {
    throw new Hl7Error(
      Hl7ErrorCodes.UNSUPPORTED_VERSION_ID,
      `Version "${version}" is not supported (2.1–2.8)`,
      { segment: 'MSH', sequence: 1, field: 12 },
    );
  }
  return {
    sendingApplication: valueAt(msh, d, 3),
    sendingFacility: valueAt(msh, d, 4),
    receivingApplication: valueAt(msh, d, 5),
    receivingFacility: valueAt(msh, d, 6),
    dateTime: valueAt(msh, d, 7),
    messageType,
    triggerEvent: valueAt(msh, d, 9, 2),
    messageStructure: valueAt(msh, d, 9, 3),
    controlId,
    processingId: valueAt(msh, d, 11),
    version,
    acceptAckType: valueAt(msh, d, 15),
    applicationAckType: valueAt(msh, d, 16),
  };
}
