import { escapeHl7 } from './escape.ts';
import { describeLocation, type Hl7ErrorCode, type Hl7Location } from './hl7-error.ts';
import type { MessageHeader } from './header.ts';
import { standardDelimiters, type Delimiters } from './delimiters.ts';

/** AA/AE/AR: original mode and application acks; CA/CE/CR: enhanced-mode commit acks. */
export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';

export interface AckError {
  code: Hl7ErrorCode;
  message: string;
  location?: Hl7Location;
  /** ERR-4: E error, W warning, I information. */
  severity?: 'E' | 'W' | 'I';
}

export interface AckInput {
  /** The request's header; absent when the request could not even be parsed. */
  request?: Partial<MessageHeader>;
  code: AckCode;
  /** MSH-10 of the ACK itself. */
  controlId: string;
  /** MSH-7 of the ACK, HL7 DTM (e.g. 20261123054500+0000). */
  timestamp: string;
  error?: AckError;
  /** Our own application and facility (MSH-3/MSH-4 of the ACK). */
  receiver?: { application: string; facility?: string };
  delimiters?: Delimiters;
  /**
   * MSH-15/MSH-16 of the ACK itself. An enhanced-mode application ACK says NE/NE: the sender
   * need not acknowledge it (acknowledging acknowledgments would never end).
   */
  ackTypes?: { accept: string; application: string };
}

/**
 * An ACK per HL7 v2 §2.9: MSH with sender and receiver swapped, MSH-9 `ACK^<trigger>^ACK`, the
 * request's version and processing id; MSA-1 the code, MSA-2 the request's MSH-10 (MSA-3 text
 * for pre-2.5 receivers); an ERR segment when there is an error — ERR-1 location for v2.1–2.4,
 * ERR-2 location / ERR-3 code / ERR-4 severity / ERR-8 text from v2.5. Deterministic for given
 * inputs, so a resend can be answered with the stored ACK byte for byte.
 */
export function buildAck(input: AckInput): string {
  const d = input.delimiters ?? standardDelimiters;
  const request = input.request ?? {};
  const version = request.version ?? '2.5.1';
  const esc = (text: string | undefined) => escapeHl7(text ?? '', d);
  const msh = [
    'MSH',
    `${d.component}${d.repetition}${d.escape}${d.subcomponent}`,
    esc(input.receiver?.application ?? 'THROUGHLINE'),
    esc(input.receiver?.facility ?? ''),
    esc(request.sendingApplication),
    esc(request.sendingFacility),
    input.timestamp,
    '',
    ['ACK', esc(request.triggerEvent), 'ACK'].join(d.component),
    esc(input.controlId),
    esc(request.processingId ?? 'P'),
    esc(version),
    ...(input.ackTypes ? ['', '', esc(input.ackTypes.accept), esc(input.ackTypes.application)] : []),
  ].join(d.field);
  const text = input.error?.message;
  const msa = ['MSA', input.code, esc(request.controlId), esc(text)].join(d.field);
  const segments = [msh, msa];
  if (input.error) segments.push(errSegment(input.error, version, d));
  return `${segments.join('\r')}\r`;
}

function errSegment(error: AckError, version: string, d: Delimiters): string {
  const location = error.location;
  const locationComponents = [
    location?.segment ?? '',
    location?.sequence ?? '',
    location?.field ?? '',
    '',
    location?.component ?? '',
  ]
    .join(d.component)
    .replace(new RegExp(`\\${d.component}+$`), '');
  const codeText = [error.code, escapeHl7(error.message, d), 'HL70357'].join(d.component);
  if (/^2\.[1-4]/.test(version)) {
    // ERR-1 (CM_ELD): segment^sequence^field^code&text — the pre-2.5 form.
    return [
      'ERR',
      [
        location?.segment ?? '',
        location?.sequence ?? '',
        location?.field ?? '',
        [error.code, escapeHl7(error.message, d)].join(d.subcomponent),
      ].join(d.component),
    ].join(d.field);
  }
  return [
    'ERR',
    '',
    locationComponents,
    codeText,
    error.severity ?? 'E',
    '',
    '',
    '',
    escapeHl7(userMessage(error), d),
  ].join(d.field);
}

/** HL7 DTM for an instant, in UTC: YYYYMMDDHHMMSS+0000. */
export function hl7Timestamp(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

/** ERR-8: the message, prefixed with its location unless it already names it. */
function userMessage(error: AckError): string {
  const where = describeLocation(error.location);
  return where && !error.message.startsWith(where) ? `${where}: ${error.message}` : error.message;
}
