import type { AckCode, AckError } from './build-ack.ts';
import type { MessageHeader } from './header.ts';

/** How processing ended, in original-mode terms (AA accepted, AE failed, AR rejected). */
export interface AckOutcome {
  code: 'AA' | 'AE' | 'AR';
  error?: AckError;
}

export interface AckPlan {
  /**
   * The first acknowledgment: the ACK in original mode, the accept ACK (CA/CR) in enhanced
   * mode. Always built and stored, so a resend can be answered byte for byte; `send` says
   * whether MSH-15 asks for it.
   */
  first: { code: AckCode; error?: AckError; send: boolean };
  /** Enhanced mode only, and only when MSH-16 asks: the application ACK (AA/AE). */
  application?: { code: AckCode; error?: AckError };
}

/**
 * HL7 v2 acknowledgment rules (§2.9, table 0155). Original mode when MSH-15 and MSH-16 are
 * both empty: one ACK, AA/AE/AR. Enhanced mode otherwise: an accept ACK once the message is
 * in safe storage — CA, or CR for a message refused at the door (bad header, unsupported
 * version or type), which is never processed — then an application ACK with the processing
 * result. Each is sent under its field's condition: AL always, NE never, ER on error or
 * reject only, SU on success only; an empty field in enhanced mode counts as AL.
 */
export function planAcks(
  header: Pick<Partial<MessageHeader>, 'acceptAckType' | 'applicationAckType'>,
  outcome: AckOutcome,
): AckPlan {
  const { acceptAckType: accept, applicationAckType: application } = header;
  if (!accept && !application) return { first: { ...outcome, send: true } };
  if (outcome.code === 'AR')
    return { first: { code: 'CR', error: outcome.error, send: wanted(accept, false) } };
  const first = { code: 'CA' as const, send: wanted(accept, true) };
  return wanted(application, outcome.code === 'AA') ? { first, application: outcome } : { first };
}

function wanted(condition: string | undefined, success: boolean): boolean {
  switch ((condition ?? '').toUpperCase()) {
    case 'NE':
      return false;
    case 'ER':
      return !success;
    case 'SU':
      return success;
    default:
      return true;
  }
}
