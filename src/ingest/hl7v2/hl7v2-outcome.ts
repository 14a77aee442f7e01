import { isThroughlineError } from '../../kernel/errors.ts';
import { Hl7Error, Hl7ErrorCodes, type AckCode, type AckError } from '../../hl7v2/index.ts';

/**
 * The one translation of errors to an ACK (house rule 5): a message we cannot accept is AR
 * (CR in enhanced mode); one we accepted but could not apply is AE (CE). Store validation
 * errors keep their FHIR path in the text, so the sender sees what was wrong.
 */
export function ackForError(error: unknown, enhanced: boolean): { code: AckCode; error: AckError } {
  if (error instanceof Hl7Error) {
    const reject = error.severity === 'reject';
    return {
      code: enhanced ? (reject ? 'CR' : 'CE') : reject ? 'AR' : 'AE',
      error: { code: error.hl7Code, message: error.message, location: error.location },
    };
  }
  const message = isThroughlineError(error)
    ? `${error.message}${error.issues[0]?.expression ? ` (at ${error.issues[0].expression})` : ''}`
    : 'Internal error while processing the message; it is stored and can be reprocessed';
  return { code: enhanced ? 'CE' : 'AE', error: { code: Hl7ErrorCodes.APPLICATION_INTERNAL_ERROR, message } };
}

export function successCode(enhanced: boolean): AckCode {
  return enhanced ? 'CA' : 'AA';
}

/** Best-effort MSH fields of a message that failed to parse, for the message store and the ACK. */
export function looseHeader(raw: Buffer): {
  sendingApplication?: string;
  sendingFacility?: string;
  controlId?: string;
  messageType?: string;
  triggerEvent?: string;
  version?: string;
} {
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
  };
}
