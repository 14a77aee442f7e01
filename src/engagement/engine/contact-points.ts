import type { ContactPoint, Patient } from '@medplum/fhirtypes';
import type { Channel } from '../model/outreach-codes.ts';

/** Where a channel reaches the patient, if anywhere: the best-ranked usable contact point. */
export function addressFor(patient: Patient, channel: Channel): string | undefined {
  const points = usable(patient).filter((point) => fits(point, channel));
  return points[0]?.value;
}

/**
 * The channels in the order to try them: the request's own, then the patient's (their contact
 * points by rank), then the clinic's fallback — each once, and only channels with an address.
 */
export function channelOrder(
  patient: Patient,
  options: { requested?: Channel; fallback: Channel[] },
): Channel[] {
  const own = usable(patient).map(primaryChannelOf);
  const order = [options.requested, ...own, ...options.fallback].filter(
    (channel): channel is Channel => channel !== undefined,
  );
  return [...new Set(order)].filter((channel) => addressFor(patient, channel) !== undefined);
}

/** The channel a contact point stands for when the patient ranks it: a mobile means SMS. */
function primaryChannelOf(point: ContactPoint): Channel | undefined {
  if (point.system === 'email') return 'email';
  if (point.system === 'sms' || (point.system === 'phone' && point.use === 'mobile')) return 'sms';
  return point.system === 'phone' ? 'voice' : undefined;
}

function usable(patient: Patient): ContactPoint[] {
  return (patient.telecom ?? [])
    .filter((point) => point.value && !point.period?.end)
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
}

/** SMS and WhatsApp need a mobile; a call any phone; e-mail an address. */
function fits(point: ContactPoint, channel: Channel): boolean {
  if (channel === 'email') return point.system === 'email';
  if (channel === 'voice') return point.system === 'phone';
  return (point.system === 'phone' || point.system === 'sms') && point.use === 'mobile';
}
