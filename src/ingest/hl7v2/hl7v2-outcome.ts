import { isThroughlineError } from '../../kernel/errors.ts';
import type { InboundHeader } from '../../store/index.ts';
import { Hl7Error, Hl7ErrorCodes, type AckError } from '../../hl7v2/index.ts';

/**
 * The one translation of errors to an acknowledgment (house rule 5), in original-mode terms:
 * a message we cannot accept is AR; one we accepted but could not apply is AE (`planAcks`
 * turns these into enhanced-mode acknowledgments when MSH-15/16 ask). Store validation errors
 * keep their FHIR path in the text, so the sender sees what was wrong.
 */
export function ackForError(error: unknown): { code: 'AE' | 'AR'; error: AckError } {
  if (error instanceof Hl7Error) {
    return {
      code: error.severity === 'reject' ? 'AR' : 'AE',
      error: { code: error.hl7Code, message: error.message, location: error.location },
    };
  }
  const message = isThroughlineError(error)
    ? `${error.message}${error.issues[0]?.expression ? ` (at ${error.issues[0].expression})` : ''}`
    : 'Internal error while processing the message; it is stored and can be reprocessed';
  return { code: 'AE', error: { code: Hl7ErrorCodes.APPLICATION_INTERNAL_ERROR, message } };
}

/** The header fields the message store keeps, and how the sender asked to be acknowledged. */
export type LooseHeader = Omit<InboundHeader, 'protocol' | 'transport' | 'remoteAddress'> & {
  acceptAckType?: string;
  applicationAckType?: string;
};

/** Best-effort MSH fields of a message that failed to parse, for the message store and the ACK. */
export function looseHeader(raw: Buffer): LooseHeader {
  const first =
    raw
      .subarray(0, 4096)
      .toString('latin1')
      .replace(/^\uFEFF|^ï»¿/, '')
      .split(/\r\n|\r|\n/)[0] ?? '';
  if (!first.startsWith('MSH') || first.length < 8) return {};
  const fields = first.split(first.charAt(3));
  const component = fields[1]?.charAt(0) ?? '^';
  const part = (n: number, c = 0) => fields[n - 1]?.split(component)[c] || undefined;
  return {
    sendingApplication: part(3),
    sendingFacility: part(4),
    messageType: part(9),
    triggerEvent: part(9, 1),
    controlId: part(10),
    version: part(12),
    acceptAckType: part(15),
    applicationAckType: part(16),
  };
}
