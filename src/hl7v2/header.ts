import { Hl7Error, Hl7ErrorCodes } from './hl7-error.ts';
import type { Delimiters } from './delimiters.ts';
import { firstSegment, valueAt, type FieldPosition, type Hl7Message, type Segment } from './message.ts';

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
    throw new Hl7Error(Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR, 'Missing MSH segment', {
      location: { segment: 'MSH' },
    });
  const d = message.delimiters;
  const messageType = requiredMshValue(msh, d, { field: 9, component: 1, name: 'message type' });
  const controlId = requiredMshValue(msh, d, { field: 10, name: 'message control id' });
  const version = requiredMshValue(msh, d, { field: 12, name: 'version id' });
  if (!supportedVersion.test(version)) {
    throw new Hl7Error(
      Hl7ErrorCodes.UNSUPPORTED_VERSION_ID,
      `Version "${version}" is not supported (2.1–2.8)`,
      {
        location: { segment: 'MSH', sequence: 1, field: 12 },
      },
    );
  }
  return {
    sendingApplication: valueAt(msh, d, 3),
    sendingFacility: valueAt(msh, d, 4),
    receivingApplication: valueAt(msh, d, 5),
    receivingFacility: valueAt(msh, d, 6),
    dateTime: valueAt(msh, d, 7),
    messageType,
    triggerEvent: valueAt(msh, d, { field: 9, component: 2 }),
    messageStructure: valueAt(msh, d, { field: 9, component: 3 }),
    controlId,
    processingId: valueAt(msh, d, 11),
    version,
    acceptAckType: valueAt(msh, d, 15),
    applicationAckType: valueAt(msh, d, 16),
  };
}

/** The value of a required MSH field; its absence is REQUIRED_FIELD_MISSING at that field. */
function requiredMshValue(
  msh: Segment,
  delimiters: Delimiters,
  at: FieldPosition & { name: string },
): string {
  const value = valueAt(msh, delimiters, at);
  if (!value)
    throw new Hl7Error(Hl7ErrorCodes.REQUIRED_FIELD_MISSING, `MSH-${at.field} (${at.name}) is required`, {
      location: { segment: 'MSH', sequence: 1, field: at.field },
    });
  return value;
}
